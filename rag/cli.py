"""The ``rag`` command: index, ask, eval, serve, bench. A thin shell over the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

from rag.settings import Settings


class CliError(Exception):
    """Shown to the user as one line on stderr, with exit code 2."""


def _settings(args: argparse.Namespace) -> Settings:
    s = Settings.from_env()
    changes: dict[str, Any] = {}
    if getattr(args, "index_dir", None):
        changes["index_dir"] = args.index_dir
    if getattr(args, "seeds", None):
        changes["seeds_dir"] = args.seeds
    if getattr(args, "embedder", None):
        changes["embedder"] = args.embedder
    return s.with_(**changes)


def _tty() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


# ---------------------------------------------------------------- index

def cmd_index(args: argparse.Namespace) -> int:
    from rag import index as index_mod
    from rag.embedding import load_embedder

    s = _settings(args)
    bars: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if not _tty() or total == 0:
            return
        from tqdm import tqdm

        bar = bars.get(stage) or bars.setdefault(stage, tqdm(total=total, desc=f"embedding {stage}", unit="text",
                                                             file=sys.stderr, leave=False))
        bar.n = done
        bar.refresh()

    print("loading the embedding model…", file=sys.stderr) if _tty() else None
    emb = load_embedder(s.embedder, s.embed_batch)
    report = index_mod.build(s, emb, force=args.rebuild, progress=progress)
    for b in bars.values():
        b.close()
    if report.up_to_date:
        print(f"index is up to date ({report.n_chunks} chunks in {s.index_path}); nothing to do")
    else:
        print(f"indexed {report.n_docs} articles into {report.n_chunks} chunks in {s.index_path} "
              f"({report.n_embedded} texts embedded, the rest reused; {report.seconds:.1f} s)")
    return 0


# ---------------------------------------------------------------- ask

def _engine(args: argparse.Namespace):
    from rag.pipeline import default_engine

    return default_engine(_settings(args))


def format_answer(d: dict[str, Any], width: int = 100, *, answer: bool = True) -> str:
    """The plain-text view of an answer: the answer, then numbered sources."""
    out = [textwrap.fill(d["answer"], width)] if answer else []
    if d.get("generated_sentences"):
        out.append(f"({d['verified']} of {d['generated_sentences']} generated sentences matched to a source sentence)")
        out.extend(textwrap.fill(f"(unsupported, left out) {u}", width) for u in d.get("unsupported") or ())
    if d.get("short_answer"):
        out.append(f"\nShort answer: {d['short_answer']}")
    if d["query"] != d["question"]:
        out.append(f"(searched for: {d['query']})")
    sources = d["citations"] or d["related"]
    if sources:
        out.append("\nSources:" if d["citations"] else "\nRelated passages (not an answer):")
        for c in sources:
            date = f" ({c['date']})" if c.get("date") else ""
            label = f"[{c['n']}]" if d["citations"] else " -"
            out.append(f"{label} {c['title']}{date}")
            out.append(f"    {c['path']}:{c['start']}-{c['end']}")
            out.append(textwrap.indent(textwrap.fill(f"“{c['quote']}”", width - 4), "    "))
    if d.get("notice"):
        out.append(f"\nnote: {d['notice']}")
    return "\n".join(out)


def cmd_ask(args: argparse.Namespace) -> int:
    eng = _engine(args)
    if (args.mode or eng.settings.mode) == "generative" and not args.json and sys.stdout.isatty():
        return _ask_streaming(eng, args)
    ans = eng.ask(args.question, tuple(args.history or ()), top_k=args.top_k, retriever=args.retriever, mode=args.mode)
    d = ans.to_dict()
    if args.json:
        print(json.dumps(d, ensure_ascii=False))
    else:
        print(format_answer(d))
    return 0


def _ask_streaming(eng: Any, args: argparse.Namespace) -> int:
    """Print the model's words as they come, each sentence's citations (or "unsupported") as it is checked."""
    from rag.generation import Checked, Token, generate_stream

    r = eng.retrieve(args.question, tuple(args.history or ()), top_k=args.top_k, retriever=args.retriever)
    streamed, final = False, None
    for event in generate_stream(eng, r):
        if isinstance(event, Token):
            print(event.text, end="", flush=True)
            streamed = True
        elif isinstance(event, Checked):
            print(" " + "".join(f"[{n}]" for n in event.citations) if event.supported else " (unsupported)",
                  end="", flush=True)
        else:
            final = event
    d = {**final.to_dict(), "unsupported": []}  # already marked "(unsupported)" where they streamed
    if streamed and d["verified"]:
        print("\n" + format_answer(d, answer=False))  # the checked sentences are on screen already
    else:
        # Nothing verified (the extractive fallback) or the model was not asked: show the answer itself.
        print(("\n\n" if streamed else "") + format_answer(d))
    return 0


# ---------------------------------------------------------------- eval

THRESHOLDS = {
    "min_hit1": ("retrieval", "hit@1", 1), "min_hit5": ("retrieval", "hit@5", 1),
    "min_mrr": ("retrieval", "mrr@10", 1), "min_ndcg": ("retrieval", "ndcg@10", 1),
    "min_found": ("answers", "found", 1), "min_f1": ("answers", "f1", 1),
    "min_citation_precision": ("citations", "precision", 1), "min_citation_recall": ("citations", "recall", 1),
    "min_abstain_recall": ("abstention", "recall", 1), "max_false_abstention": ("abstention", "false_abstention", -1),
}


def cmd_eval(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from rag import evaluation as ev

    eng = _engine(args)
    items = ev.load_items(Path(args.questions))
    bar = None
    if _tty():
        from tqdm import tqdm

        bar = tqdm(total=len(items) * (4 if args.update_readme else 1), desc="eval", unit="q", file=sys.stderr,
                   leave=False)

    def progress(done: int, total: int) -> None:
        if bar:
            bar.update(1)

    if args.calibrate:
        # Confidence of every question with abstention off; the report then shows the calibrated setting.
        eng = type(eng)(replace(eng.settings, abstain_threshold=0.0), eng.embedder)
    report = ev.run(eng, items, progress=progress, top_k=args.top_k, retriever=args.retriever, mode=args.mode)
    if args.update_readme:
        from rag.report import readme_eval_block, replace_block

        reports = {"hybrid": report}
        for other in ("dense", "bm25"):
            reports[other] = ev.run(eng, items, top_k=args.top_k, retriever=other, progress=progress)
        fused = type(eng)(replace(eng.settings, rerank=False), eng.embedder)
        reports["hybrid, fused order"] = ev.run(fused, items, top_k=args.top_k, progress=progress)
        command = f"rag eval --questions {args.questions} --update-readme {args.update_readme}"
        if args.readme_block != "eval":
            command += f" --readme-block {args.readme_block}"
        replace_block(Path(args.update_readme), args.readme_block,
                      readme_eval_block(reports, command, latency=args.readme_block == "eval"))
    if bar:
        bar.close()
    if args.report:
        from rag.report import write_report

        write_report(report, Path(args.report), Path(args.questions))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from rag.report import summary_table

        if args.calibrate:
            print("Abstention off (threshold 0) while calibrating: only questions no sentence can answer abstain.")
        print(summary_table(report))
    if args.calibrate:
        t = ev.calibrate(report.records)
        print(f"calibrated abstain_threshold: {t:.4f} (set it in rag/settings.py or RAG_ABSTAIN_THRESHOLD)")
        return 0
    failed = []
    for opt, (group, key, sign) in THRESHOLDS.items():
        limit = getattr(args, opt)
        value = report.overall[group][key]
        if limit is None or value is None:
            continue
        if (sign > 0 and value < limit) or (sign < 0 and value > limit):
            failed.append(f"{group}.{key} = {value:.3f} ({'below' if sign > 0 else 'above'} {limit})")
    if failed:
        print("eval thresholds not met: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------- serve / bench

def cmd_serve(args: argparse.Namespace) -> int:
    from ui.app import serve

    serve(host=args.host, port=args.port, settings=_settings(args))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from eval.bench import main as bench_main

    return bench_main(args.rest)


# ---------------------------------------------------------------- main

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="Citation-first Q&A over news on the 2025 Pakistan–Afghanistan talks.")
    p.add_argument("--index-dir", help="index folder (default: index)")
    p.add_argument("--seeds", help="seeds folder (default: seeds)")
    p.add_argument("--embedder", help="sentence-transformers model name or path")
    sub = p.add_subparsers(dest="cmd", required=True)

    pi = sub.add_parser("index", help="build or update the index from seeds/")
    pi.add_argument("--rebuild", action="store_true", help="re-embed everything")
    pi.set_defaults(func=cmd_index)

    pa = sub.add_parser("ask", help="ask a question")
    pa.add_argument("question")
    pa.add_argument("--json", action="store_true", help="print one JSON object")
    pa.add_argument("--history", action="append", help="an earlier question of the conversation (repeatable, oldest first)")
    pa.add_argument("--top-k", type=int, help="passages to retrieve")
    pa.add_argument("--retriever", choices=["hybrid", "dense", "bm25"])
    pa.add_argument("--mode", choices=["extractive", "generative"],
                    help="quoted source sentences (default), or a local model's answer checked against them")
    pa.set_defaults(func=cmd_ask)

    pe = sub.add_parser("eval", help="run a question file and report quality")
    pe.add_argument("--questions", default="eval/questions.jsonl")
    pe.add_argument("--json", action="store_true")
    pe.add_argument("--report", metavar="DIR", help="write a Markdown report with plots to DIR")
    pe.add_argument("--retriever", choices=["hybrid", "dense", "bm25"])
    pe.add_argument("--top-k", type=int)
    pe.add_argument("--mode", choices=["extractive", "generative"])
    pe.add_argument("--update-readme", metavar="README", help="also run the dense and BM25 ablations and "
                    "rewrite the eval block of this README")
    pe.add_argument("--readme-block", default="eval", metavar="NAME",
                    help="the README block to rewrite: <!-- NAME:start --> … <!-- NAME:end --> (default: eval)")
    pe.add_argument("--calibrate", action="store_true", help="find the abstention threshold on this question file")
    for opt in THRESHOLDS:
        pe.add_argument("--" + opt.replace("_", "-"), type=float, dest=opt, metavar="X")
    pe.set_defaults(func=cmd_eval)

    ps = sub.add_parser("serve", help="start the chat UI")
    ps.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"))
    ps.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    ps.set_defaults(func=cmd_serve)

    pb = sub.add_parser("bench", help="measure latency and build throughput", add_help=False)
    pb.add_argument("rest", nargs=argparse.REMAINDER)
    pb.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # ``rag bench`` hands its own options (``--json``, ``--quick``…) to eval.bench; argparse's REMAINDER
    # only catches them once a positional has been seen, so the unknown ones are collected here.
    args, extra = parser.parse_known_args(argv)
    if extra and args.cmd != "bench":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.cmd == "bench":
        args.rest = [*extra, *args.rest]
    from rag.evaluation import EvalFileError
    from rag.index import IndexError_
    from rag.pipeline import QuestionError
    from rag.sources import CorpusError

    try:
        return int(args.func(args) or 0)
    except (QuestionError, CorpusError, IndexError_, EvalFileError, CliError, RuntimeError, ValueError) as exc:
        print(f"rag: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
