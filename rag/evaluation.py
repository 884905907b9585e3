"""Score a question file through ``Engine.ask``: retrieval, answers, citations, abstention, latency."""

from __future__ import annotations

import json
import math
import re
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rag.pipeline import Engine
from rag.types import Answer

Span = tuple[str, int, int]


class EvalFileError(ValueError):
    """A question file that cannot be read; the message is one line for the user."""


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    turns: tuple[str, ...]
    answers: tuple[str, ...]
    evidence: tuple[str, ...]

    @property
    def question(self) -> str:
        return self.turns[-1]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def load_items(path: Path) -> list[Item]:
    """Parse a JSONL question file (DESIGN.md format)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"cannot read question file {path}: {exc}") from exc
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            turns = tuple(d["turns"]) if "turns" in d else (d["question"],)
            items.append(Item(str(d["id"]), str(d.get("kind", "factoid")), turns, tuple(d.get("answers", [])),
                              tuple(d.get("evidence", []))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise EvalFileError(f"{path}:{n}: not a question object ({type(exc).__name__}: {exc})") from exc
    if not items:
        raise EvalFileError(f"{path} holds no questions")
    return items


# ---------------------------------------------------------------- SQuAD normalization

def normalize(s: str) -> str:
    s = s.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = "".join(ch for ch in s if ch not in set(string.punctuation) | {"–", "—"})
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def token_f1(pred: str, gold: str) -> float:
    p, g = normalize(pred).split(), normalize(gold).split()
    common = Counter(p) & Counter(g)
    same = sum(common.values())
    if not p or not g or same == 0:
        return 0.0
    prec, rec = same / len(p), same / len(g)
    return 2 * prec * rec / (prec + rec)


# ---------------------------------------------------------------- per-question record

@dataclass
class Record:
    item: Item
    answer: Answer
    gold_spans: list[Span]
    relevant_ranks: list[int]  # 1-based ranks of hits overlapping gold evidence
    n_relevant_chunks: int
    citation_ok: list[bool]
    quotes_valid: bool
    found: bool = False
    em: float = 0.0
    f1: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item.id, "kind": self.item.kind, "turns": list(self.item.turns),
                "gold": list(self.item.answers), "answer": self.answer.text, "short_answer": self.answer.short_answer,
                "abstained": self.answer.abstained, "confidence": self.answer.confidence, "query": self.answer.query,
                "found": self.found, "em": self.em, "f1": round(self.f1, 4), "first_relevant_rank":
                min(self.relevant_ranks) if self.relevant_ranks else None, "citations_correct": self.citation_ok,
                "citations": [{"n": c.n, "start": c.start, "end": c.end, "quote": c.quote} for c in self.answer.citations]}


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def gold_spans(item: Item, texts: dict[str, str]) -> list[Span]:
    spans = []
    for ev in item.evidence:
        for path, text in texts.items():
            i = text.find(ev)
            while i >= 0:
                spans.append((path, i, i + len(ev)))
                i = text.find(ev, i + 1)
    return spans


def evaluate_item(engine: Engine, item: Item, texts: dict[str, str], **ask_options: Any) -> Record:
    ans = engine.ask(item.question, item.turns[:-1], **ask_options)
    gold = gold_spans(item, texts)
    ranks = [h.rank for h in ans.hits if any(_overlaps((h.chunk.path, h.chunk.start, h.chunk.end), g) for g in gold)]
    n_rel = sum(1 for c in engine.index.chunks if any(_overlaps((c.path, c.start, c.end), g) for g in gold))
    cit_ok = [any(_overlaps((c.path, c.start, c.end), g) for g in gold) for c in ans.citations]
    valid = all(engine.file_text(c.path)[c.start:c.end] == c.quote for c in (*ans.citations, *ans.related))
    rec = Record(item, ans, gold, ranks, n_rel, cit_ok, valid)
    if item.answerable and not ans.abstained:
        text = normalize(ans.text)
        rec.found = any(normalize(g) and normalize(g) in text for g in item.answers)
        pred = ans.short_answer or ans.text
        rec.em = float(any(normalize(pred) == normalize(g) for g in item.answers))
        rec.f1 = max(token_f1(pred, g) for g in item.answers)
    return rec


# ---------------------------------------------------------------- aggregate

def _mean(xs: Iterable[float]) -> float | None:
    xs = list(xs)
    return float(np.mean(xs)) if xs else None


def summarize(records: list[Record]) -> dict[str, Any]:
    """All figures for a set of records (None where a figure has no questions)."""
    ans = [r for r in records if r.item.answerable]
    una = [r for r in records if not r.item.answerable]
    with_gold = [r for r in ans if r.gold_spans]

    def ndcg(r: Record) -> float:
        dcg = sum(1 / math.log2(k + 1) for k in r.relevant_ranks if k <= 10)
        ideal = sum(1 / math.log2(k + 1) for k in range(1, min(r.n_relevant_chunks, 10) + 1))
        return dcg / ideal if ideal else 0.0

    cited = [ok for r in ans for ok in r.citation_ok]
    abstained = [r for r in records if r.answer.abstained]
    return {
        "n": len(records), "n_answerable": len(ans), "n_unanswerable": len(una),
        "retrieval": {
            "hit@1": _mean(float(any(k <= 1 for k in r.relevant_ranks)) for r in with_gold),
            "hit@5": _mean(float(any(k <= 5 for k in r.relevant_ranks)) for r in with_gold),
            "mrr@10": _mean(max((1 / k for k in r.relevant_ranks if k <= 10), default=0.0) for r in with_gold),
            "ndcg@10": _mean(ndcg(r) for r in with_gold),
        },
        "answers": {
            "found": _mean(float(r.found) for r in ans),
            "exact_match": _mean(r.em for r in ans),
            "f1": _mean(r.f1 for r in ans),
        },
        "citations": {
            "precision": _mean(float(x) for x in cited),
            "recall": _mean(float(any(r.citation_ok)) for r in ans),
            "quotes_valid": _mean(float(r.quotes_valid) for r in records),
            "per_answer": _mean(len(r.answer.citations) for r in ans if not r.answer.abstained),
        },
        "abstention": {
            "recall": _mean(float(r.answer.abstained) for r in una),
            "precision": (sum(not r.item.answerable for r in abstained) / len(abstained)) if abstained else None,
            "false_abstention": _mean(float(r.answer.abstained) for r in ans),
        },
        "latency_ms": _latency(records),
    }


def _latency(records: list[Record]) -> dict[str, dict[str, float]]:
    stages: dict[str, list[float]] = defaultdict(list)
    for r in records:
        for k, v in r.answer.timings_ms.items():
            stages[k].append(v)
    return {k: {"p50": float(np.percentile(v, 50)), "p95": float(np.percentile(v, 95))} for k, v in stages.items()}


def tradeoff(records: list[Record], steps: int = 41) -> list[dict[str, float]]:
    """Abstention recall vs false abstention (and answers found) as the threshold moves."""
    conf = [r.answer.confidence for r in records]
    if not conf:
        return []
    lo, hi = min(conf), max(conf)
    ans = [r for r in records if r.item.answerable]
    una = [r for r in records if not r.item.answerable]
    curve = []
    for t in np.linspace(lo - 1e-6, hi + 1e-6, steps):
        curve.append({
            "threshold": float(t),
            "abstain_recall": _mean(float(r.answer.confidence < t) for r in una) or 0.0,
            "false_abstention": _mean(float(r.answer.confidence < t) for r in ans) or 0.0,
            "found": _mean(float(r.found and r.answer.confidence >= t) for r in ans) or 0.0,
        })
    return curve


def calibrate(records: list[Record], max_false_abstention: float = 0.05) -> float:
    """The abstention threshold that best separates unanswerable from answerable questions.

    Run with the threshold at 0 so every question has a confidence. Among thresholds that keep false
    abstentions within the bound, take those with the highest (abstention recall - false abstention)
    and return the middle one, so the choice sits in the widest safe gap rather than on an edge.
    """
    conf = sorted({r.answer.confidence for r in records})
    if len(conf) < 2:
        return 0.0
    cuts = [(a + b) / 2 for a, b in zip(conf, conf[1:])]
    ans = [r.answer.confidence for r in records if r.item.answerable]
    una = [r.answer.confidence for r in records if not r.item.answerable]
    scored = []
    for t in cuts:
        false = sum(c < t for c in ans) / max(len(ans), 1)
        if false <= max_false_abstention:
            scored.append((sum(c < t for c in una) / max(len(una), 1) - false, t))
    if not scored:
        return 0.0
    top = max(v for v, _ in scored)
    best = [t for v, t in scored if v == top]
    return float(best[len(best) // 2])


@dataclass
class Report:
    overall: dict[str, Any]
    by_kind: dict[str, dict[str, Any]]
    curve: list[dict[str, float]]
    records: list[Record] = field(repr=False)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"overall": self.overall, "by_kind": self.by_kind, "tradeoff": self.curve, "settings": self.settings,
                "failures": [r.to_dict() for r in failures(self.records)]}


def failures(records: list[Record]) -> list[Record]:
    out = []
    for r in records:
        if r.item.answerable and (not r.found or not all(r.citation_ok) or r.answer.abstained):
            out.append(r)
        elif not r.item.answerable and not r.answer.abstained:
            out.append(r)
    return out


def run(engine: Engine, items: list[Item], *, progress: Callable[[int, int], None] | None = None,
        **ask_options: Any) -> Report:
    texts = {}
    for path in {d.path for d in engine.index.docs.values()}:
        texts[path] = engine.file_text(path)
    records = []
    for i, item in enumerate(items):
        records.append(evaluate_item(engine, item, texts, **ask_options))
        if progress:
            progress(i + 1, len(items))
    kinds = sorted({r.item.kind for r in records})
    return Report(summarize(records), {k: summarize([r for r in records if r.item.kind == k]) for k in kinds},
                  tradeoff(records), records,
                  {"retriever": ask_options.get("retriever") or engine.settings.retriever,
                   "top_k": ask_options.get("top_k") or engine.settings.top_k,
                   "mode": ask_options.get("mode") or engine.settings.mode,
                   "abstain_threshold": engine.settings.abstain_threshold})
