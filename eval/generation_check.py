"""Generative mode on the eval set: calibrate the citation check, and measure the local model.

    python -m eval.generation_check calibrate [--questions eval/questions.jsonl]
    python -m eval.generation_check measure [-n 12] [--out eval/report/generative.jsonl]

``calibrate`` needs no model. For every answerable question it builds a claim from the question and a
gold answer (a positive: the passages support it) and two negatives: the same question with another
question's answer, and with a span of the wanted type (a number, date, name, place) taken from a passage
sentence that is not gold evidence; every unanswerable question with a borrowed answer is a negative too. Each claim is matched
against the sentences of the passages the model would see, over a grid of coverage and cosine thresholds.
It prints, per grid point, the share of positives accepted (and of those, cited to a gold evidence
sentence) and the share of negatives accepted, then the point with the most positives accepted while
accepting at most 3% of negatives (ties go to the strictest thresholds).

``measure`` runs the real model on the first answerable and unanswerable questions and reports the share
of generated sentences verified, time to first token and tokens per second; ``--out`` keeps every
generated sentence with its verdict for reading.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from rag.evaluation import Item, gold_spans, load_items, normalize
from rag.generation import Checked, Support, Token, generate_stream, prompt_passages
from rag.llm import get_backend
from rag.pipeline import Engine
from rag.settings import Settings
from rag.text import answer_spans, question_type
from rag.types import Answer

COVERAGE_GRID = [round(x, 2) for x in np.arange(0.10, 0.91, 0.10)]
NEW_GRID = [round(x, 2) for x in np.arange(0.40, 1.01, 0.10)]
COSINE_GRID = [round(x, 2) for x in np.arange(0.20, 0.71, 0.05)]
MAX_NEGATIVE_RATE = 0.03


def _claims(items: list[Item]) -> list[tuple[Item, str, bool]]:
    answerable = [it for it in items if it.answerable]
    out: list[tuple[Item, str, bool]] = []
    for i, it in enumerate(items):
        if it.answerable:
            out.append((it, _claim(it, it.answers[0]), True))
            # A wrong answer: the next answerable question's, unless it happens to be in this gold evidence.
            for k in range(1, len(answerable)):
                other = answerable[(answerable.index(it) + k) % len(answerable)].answers[0]
                if normalize(other) not in normalize(" ".join(it.evidence + it.answers)):
                    out.append((it, _claim(it, other), False))
                    break
        else:
            out.append((it, _claim(it, answerable[i % len(answerable)].answers[0]), False))
    return out


def _claim(it: Item, answer: str) -> str:
    return f"{it.question.rstrip('?')}: {answer}."


def _distractor(engine: Engine, it: Item, support: Support, gold: list) -> str | None:
    """The question answered with a span of the wanted type from a passage sentence that is not gold evidence."""
    qtype = question_type(it.question)
    golds = {normalize(a) for a in it.answers}
    for p in support.positions:
        s = engine.index.sentences[p]
        if any(engine.index.docs[s.doc_id].path == g[0] and s.start < g[2] and g[1] < s.end for g in gold):
            continue
        for a, b in answer_spans(s.text, qtype, it.question):
            span = normalize(s.text[a:b])
            if span and not any(span in g or g in span for g in golds):
                return _claim(it, s.text[a:b])
    return None


def calibrate(engine: Engine, items: list[Item]) -> dict:
    texts = {d.path: engine.file_text(d.path) for d in engine.index.docs.values()}
    rows = []
    supports: dict[str, Support] = {}
    claims = _claims(items)
    for it in items:
        if not it.answerable:
            continue
        r = engine.retrieve(it.question, it.turns[:-1])
        supports[it.id] = Support.of(engine, prompt_passages(engine, r), r.rewrite.resolved)
        # The hardest negative: a plausible wrong answer that a passage shown to the model does contain.
        wrong = _distractor(engine, it, supports[it.id], gold_spans(it, texts))
        if wrong:
            claims.append((it, wrong, False))
    for it, claim, positive in claims:
        if it.id not in supports:
            r = engine.retrieve(it.question, it.turns[:-1])
            supports[it.id] = Support.of(engine, prompt_passages(engine, r), r.rewrite.resolved)
        support = supports[it.id]
        gold = gold_spans(it, texts)
        vec = engine.get_embedder().embed_documents([claim])[0]
        grid = {}
        for key in itertools.product(COVERAGE_GRID, NEW_GRID, COSINE_GRID):
            found = support.match(claim, min_coverage=key[0], min_new=key[1], min_cosine=key[2], vector=vec)
            on_gold = any(
                engine.index.docs[engine.index.sentences[p].doc_id].path == g[0]
                and engine.index.sentences[p].start < g[2] and g[1] < engine.index.sentences[p].end
                for p in found for g in gold)
            grid[key] = (bool(found), on_gold)
        rows.append((positive, grid))
    pos = [g for p, g in rows if p]
    neg = [g for p, g in rows if not p]
    table = []
    for key in pos[0]:
        table.append({"min_coverage": key[0], "min_new_coverage": key[1], "min_cosine": key[2],
                      "positives_accepted": float(np.mean([g[key][0] for g in pos])),
                      "positives_on_gold": float(np.mean([g[key][1] for g in pos])),
                      "negatives_accepted": float(np.mean([g[key][0] for g in neg]))})
    ok = [t for t in table if t["negatives_accepted"] <= MAX_NEGATIVE_RATE]
    # Most positives cited to gold evidence; among ties, fewest negatives, then the strictest thresholds.
    best = max(ok, key=lambda t: (t["positives_on_gold"], -t["negatives_accepted"], t["min_new_coverage"],
                                  t["min_coverage"], t["min_cosine"])) if ok else None
    return {"n_positive": len(pos), "n_negative": len(neg), "table": table, "best": best}


def measure(engine: Engine, items: list[Item], n: int, out: Path | None) -> dict:
    backend = get_backend(engine.settings)
    count = {"tokens": 0}

    class Counting:
        name = backend.name

        def stream(self, messages):
            for piece in backend.stream(messages):
                count["tokens"] += 1
                yield piece

    answerable = [it for it in items if it.answerable][:n]
    unanswerable = [it for it in items if not it.answerable][: max(1, n // 4)]
    records = []
    for it in answerable + unanswerable:
        count["tokens"] = 0
        r = engine.retrieve(it.question, it.turns[:-1])
        t = time.perf_counter()
        raw, first, verdicts, final = "", None, [], None
        for ev in generate_stream(engine, r, Counting()):
            if isinstance(ev, Token):
                first = first or time.perf_counter()
                raw += ev.text
            elif isinstance(ev, Checked):
                verdicts.append({"sentence": ev.sentence, "citations": list(ev.citations)})
            elif isinstance(ev, Answer):
                final = ev
        gen_ms = final.timings_ms.get("generate", 0.0)
        found = any(normalize(g) in normalize(final.text) for g in it.answers) if not final.abstained else False
        records.append({
            "id": it.id, "kind": it.kind, "question": it.question, "gold": list(it.answers), "raw": raw,
            "verdicts": verdicts, "answer": final.text, "abstained": final.abstained, "notice": final.notice,
            "model_asked": "first_token" in final.timings_ms, "found": found,
            "quotes": [c.quote for c in final.citations], "tokens": count["tokens"],
            "first_token_ms": final.timings_ms.get("first_token"), "generate_ms": gen_ms,
            # Decoding speed: tokens after the first over the time after the first (prompt processing excluded).
            "tokens_per_s": ((count["tokens"] - 1) / ((gen_ms - final.timings_ms["first_token"]) / 1000)
                             if count["tokens"] > 1 and gen_ms > final.timings_ms["first_token"] else None),
            "wall_ms": (time.perf_counter() - t) * 1000,
        })
        print(f"{it.id}: {sum(v['citations'] != [] for v in verdicts)}/{len(verdicts)} verified, "
              f"{count['tokens']} tokens", file=sys.stderr)
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in records), encoding="utf-8")
    asked = [x for x in records if x["model_asked"]]
    sentences = [v for x in asked for v in x["verdicts"]]
    return {
        "backend": backend.name, "questions": len(records), "model_asked": len(asked),
        "generated_sentences": len(sentences),
        "verified_share": (sum(bool(v["citations"]) for v in sentences) / len(sentences)) if sentences else None,
        "answers_with_a_verified_sentence": sum(any(v["citations"] for v in x["verdicts"]) for x in asked),
        "fell_back_to_extractive": sum(not any(v["citations"] for v in x["verdicts"]) for x in asked),
        "found_answerable": float(np.mean([x["found"] for x in records if x["gold"]])),
        "abstained_unanswerable": float(np.mean([x["abstained"] for x in records if not x["gold"]])),
        "first_token_ms_p50": statistics.median(x["first_token_ms"] for x in asked) if asked else None,
        "tokens_per_s_p50": statistics.median(x["tokens_per_s"] for x in asked if x["tokens_per_s"]) if asked else None,
        "wall_ms_p50": statistics.median(x["wall_ms"] for x in asked) if asked else None,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.generation_check", description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["calibrate", "measure"])
    p.add_argument("--questions", default="eval/questions.jsonl")
    p.add_argument("-n", type=int, default=12, help="answerable questions to run the model on (measure)")
    p.add_argument("--out", type=Path, help="write every generated sentence with its verdict here (measure)")
    args = p.parse_args(argv)
    engine = Engine(Settings.from_env())
    items = load_items(Path(args.questions))
    if args.command == "calibrate":
        res = calibrate(engine, items)
        print(f"{res['n_positive']} positive and {res['n_negative']} negative claims")
        print("min_coverage min_new min_cosine  positives  on_gold  negatives")
        for t in res["table"]:
            print(f"{t['min_coverage']:12.2f} {t['min_new_coverage']:7.2f} {t['min_cosine']:10.2f} {t['positives_accepted']:10.3f} "
                  f"{t['positives_on_gold']:8.3f} {t['negatives_accepted']:10.3f}")
        print(f"best (negatives accepted <= {MAX_NEGATIVE_RATE:.0%}):", json.dumps(res["best"]))
    else:
        print(json.dumps(measure(engine, items, args.n, args.out), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
