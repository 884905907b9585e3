"""Eval report: terminal summary, Markdown tables and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rag.evaluation import Report, failures

ROWS = [
    ("retrieval", "hit@1"), ("retrieval", "hit@5"), ("retrieval", "mrr@10"), ("retrieval", "ndcg@10"),
    ("answers", "found"), ("answers", "exact_match"), ("answers", "f1"),
    ("citations", "precision"), ("citations", "recall"), ("citations", "quotes_valid"),
    ("abstention", "recall"), ("abstention", "precision"), ("abstention", "false_abstention"),
]


def _f(v: Any) -> str:
    return "–" if v is None else f"{v:.3f}"


def summary_table(report: Report) -> str:
    """The figures overall and by kind, as a Markdown table (readable on a terminal too)."""
    kinds = list(report.by_kind)
    head = "| metric | all | " + " | ".join(kinds) + " |"
    sep = "|---|---:|" + "---:|" * len(kinds)
    lines = [head, sep, "| questions | " + str(report.overall["n"]) + " | " +
             " | ".join(str(report.by_kind[k]["n"]) for k in kinds) + " |"]
    for group, key in ROWS:
        lines.append(f"| {group} {key} | {_f(report.overall[group][key])} | " +
                     " | ".join(_f(report.by_kind[k][group][key]) for k in kinds) + " |")
    return "\n".join(lines)


def latency_table(report: Report) -> str:
    lines = ["| stage | p50 ms | p95 ms |", "|---|---:|---:|"]
    for stage, v in report.overall["latency_ms"].items():
        lines.append(f"| {stage} | {v['p50']:.1f} | {v['p95']:.1f} |")
    return "\n".join(lines)


def _plots(report: Report, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    curve = report.curve
    if curve:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot([c["threshold"] for c in curve], [c["abstain_recall"] for c in curve], label="unanswerable abstained")
        ax.plot([c["threshold"] for c in curve], [c["false_abstention"] for c in curve], label="answerable abstained")
        ax.plot([c["threshold"] for c in curve], [c["found"] for c in curve], label="answer found", linestyle="--")
        ax.axvline(report.settings.get("abstain_threshold", 0), color="grey", linestyle=":", label="current threshold")
        ax.set_xlabel("abstention threshold (answer confidence)")
        ax.set_ylabel("share of questions")
        names.append(_save(plt, fig, ax, "Abstention trade-off", out / "tradeoff.png"))
    kinds = list(report.by_kind)
    metrics = [("retrieval", "hit@5"), ("answers", "found"), ("citations", "precision"), ("abstention", "recall")]
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / max(len(metrics), 1)
    for i, (g, k) in enumerate(metrics):
        vals = [report.by_kind[kind][g][k] or 0.0 for kind in kinds]
        ax.bar([x + i * width for x in range(len(kinds))], vals, width, label=f"{g} {k}")
    ax.set_xticks([x + width * (len(metrics) - 1) / 2 for x in range(len(kinds))], kinds)
    ax.set_ylim(0, 1.05)
    names.append(_save(plt, fig, ax, "By kind of question", out / "by_kind.png"))
    return names


def _save(plt: Any, fig: Any, ax: Any, title: str, path: Path) -> str:
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def write_report(report: Report, out: Path, questions: Path) -> Path:
    """Write ``report.md``, ``report.json`` and the plots into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    plots = _plots(report, out)
    s = report.settings
    md = [f"# Eval report: `{questions}`", "",
          f"Retriever `{s.get('retriever')}`, top-k {s.get('top_k')}, abstention threshold "
          f"{s.get('abstain_threshold')}.", "", "## Figures", "", summary_table(report), "",
          "## Latency (ms)", "", latency_table(report), ""]
    md += [f"![{p}]({p})" for p in plots] + [""]
    fails = failures(report.records)
    md += [f"## Failed questions ({len(fails)})", ""]
    for r in fails:
        d = r.to_dict()
        q = " → ".join(d["turns"])
        md.append(f"- **{d['id']}** ({d['kind']}) {q}")
        md.append(f"  - gold: {', '.join(d['gold']) or '(not in the documents)'}")
        md.append(f"  - answered{' (abstained)' if d['abstained'] else ''}: {d['answer'][:300]}")
        if d["query"] != r.item.question:
            md.append(f"  - searched: {d['query']}")
        for c, ok in zip(d["citations"], d["citations_correct"]):
            md.append(f"  - cited [{c['n']}] {c['start']}-{c['end']} {'✓' if ok else '✗'}")
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "report.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out / "report.md"


def replace_block(path: Path, name: str, content: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in a Markdown file."""
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"{path} has no {start} … {end} block to update")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{content.strip()}\n{end}{tail}", encoding="utf-8")


def readme_eval_block(reports: dict[str, Report], command: str, latency: bool = True) -> str:
    """The README's eval section: the main table, then the retriever ablation (and the latency by stage)."""
    main = reports["hybrid"]
    lines = [f"Generated by `{command}` on `{len(main.records)}` questions "
             f"(threshold {main.settings.get('abstain_threshold')}).", "", summary_table(main), ""]
    if len(reports) > 1:
        lines += ["Retriever ablation (same questions, same answerer):", "",
                  "| retriever | hit@1 | hit@5 | MRR@10 | nDCG@10 | answer found | citation precision |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, r in reports.items():
            o = r.overall
            lines.append(f"| {name} | {_f(o['retrieval']['hit@1'])} | {_f(o['retrieval']['hit@5'])} | "
                         f"{_f(o['retrieval']['mrr@10'])} | {_f(o['retrieval']['ndcg@10'])} | "
                         f"{_f(o['answers']['found'])} | {_f(o['citations']['precision'])} |")
        lines.append("")
    if latency:
        lines += ["Warm latency per stage (ms):", "", latency_table(main)]
    return "\n".join(lines)
