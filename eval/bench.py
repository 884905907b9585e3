"""``rag bench``: latency by stage, cold start, index build throughput, memory, and the scale runs.

Timings on a shared machine are noisy, so every figure is a median (and p95) over repeated runs after a
warm-up, and the overhead figure is a ratio against a floor measured in the same loop: the query embedding
plus a dense search, the least any answer needs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from rag.evaluation import Item, load_items
from rag.settings import Settings

OUT_DIR = Path("eval/bench")
STAGES = ("rewrite", "embed", "dense", "sentence_dense", "bm25", "fusion", "retrieve", "answer", "total")
STAGE_NAMES = {
    "rewrite": "question cleaning + follow-up rewrite", "embed": "query embedding",
    "dense": "dense search (chunk vectors)", "sentence_dense": "dense search (sentence vectors)",
    "bm25": "BM25", "fusion": "fusion + hit assembly", "retrieve": "retrieval (the three above + fusion)",
    "answer": "answer composition (extractive)", "total": "total (`Engine.ask`)",
}
MAX_RATIO = 3.0  # the goal: a warm extractive answer within 3x the floor

load_questions = load_items


def pct(xs: list[float]) -> dict[str, float]:
    """Median and 95th percentile."""
    a = np.asarray(xs, dtype=float)
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)), "n": int(a.size)}


# ---------------------------------------------------------------- warm query latency

def latency(engine: Any, items: list[Item], *, repeat: int = 3, warmup: int = 5) -> dict[str, Any]:
    """Per-stage warm latency of extractive answers, the floor, and their ratio.

    For each single-turn question, in the same loop: ``Engine.ask`` (its own stage timings and total), the
    floor (embedding the search query, then a dense search for top-k: nothing else), and one more search
    of the same query with per-part timings (dense, sentence dense, BM25, fusion). Follow-ups are timed
    whole and reported apart: by design they also run the previous turn.
    """
    from rag.retrieval import dense_search, search

    s = engine.settings
    emb = engine.get_embedder()
    singles = [it for it in items if len(it.turns) == 1]
    convs = [it for it in items if len(it.turns) > 1]
    for it in (singles + convs)[:warmup]:
        engine.ask(it.question, it.turns[:-1], mode="extractive")
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        for it in singles:
            a = engine.ask(it.question, mode="extractive")
            for k in ("rewrite", "embed", "retrieve", "answer", "total"):
                samples[k].append(a.timings_ms[k])
            t0 = time.perf_counter()
            qvec = emb.embed_query(a.query)
            t1 = time.perf_counter()
            dense_search(engine.index, qvec, s.top_k)
            t2 = time.perf_counter()
            samples["floor"].append((t2 - t0) * 1000)
            samples["floor_embed"].append((t1 - t0) * 1000)
            samples["floor_dense"].append((t2 - t1) * 1000)
            parts: dict[str, float] = {}
            search(engine.index, a.query, qvec, top_k=s.top_k, retriever=s.retriever,
                   dense_weight=s.dense_weight, sentence_weight=s.sentence_weight, bm25_weight=s.bm25_weight,
                   timings=parts)
            for k, v in parts.items():
                samples[k].append(v)
        for it in convs:
            # As in a chat: the earlier turns were asked first, then the follow-up is timed.
            for k in range(len(it.turns) - 1):
                engine.ask(it.turns[k], it.turns[:k], mode="extractive")
            a = engine.ask(it.question, it.turns[:-1], mode="extractive")
            samples["followup_total"].append(a.timings_ms["total"])
    stages = {k: pct(samples[k]) for k in STAGES if samples.get(k)}
    floor = pct(samples["floor"])
    out: dict[str, Any] = {
        "questions": len(singles), "followups": len(convs), "repeat": repeat,
        "stages_ms": stages, "floor_ms": floor,
        "floor_parts_ms": {"embed": pct(samples["floor_embed"]), "dense": pct(samples["floor_dense"])},
        "ratio": stages["total"]["p50"] / floor["p50"] if singles else None,
    }
    if convs:
        out["followup_ms"] = pct(samples["followup_total"])
        out["followup_ratio"] = out["followup_ms"]["p50"] / floor["p50"] if singles else None
    return out


# ---------------------------------------------------------------- cold start

def cold_start(root: Path, question: str, runs: int = 3, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall time and peak memory of whole ``rag ask --json`` processes (model and index loaded from disk)."""
    walls, rss, answer_ms = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryFile() as err:
            t = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "rag", "ask", question, "--json"], cwd=root,
                                    env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=err)
            assert proc.stdout is not None
            out = proc.stdout.read()
            # wait4 reaps this one child and returns its own resource usage (peak RSS in KiB on Linux).
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - t)
            proc.stdout.close()
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                msg = err.read().decode(errors="replace").strip()[-300:]
                raise RuntimeError(f"rag ask failed during the cold-start run: {msg}")
        answer_ms.append(json.loads(out)["timings_ms"]["total"])
        rss.append(usage.ru_maxrss / 1024.0)
    return {"runs": runs, "wall_s": pct(walls), "answer_ms": pct(answer_ms), "peak_rss_mb": float(np.median(rss))}


# ---------------------------------------------------------------- build throughput

def build_throughput(settings: Settings, runs: int = 1, log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Fresh index builds of a temporary copy of the seeds, against bare ``encode`` of the same texts.

    ``chunks_per_s`` is chunks over the whole build (reading, chunking, embedding chunks and sentences,
    BM25, vector index, writing); ``encode_chunks_per_s`` is the model alone on the chunk texts. A build
    also embeds every distinct sentence, so the like-for-like comparison is ``build_s`` against
    ``encode_all_s`` (the model alone on every text the build embeds): ``overhead_ratio``. ``no_model_s``
    is the same build with a fake embedder, i.e. all the work that is not the model. Runs alternate and
    each figure is a median, because the machine is shared.
    """
    from rag import index as index_mod
    from rag.embedding import HashEmbedder, load_embedder

    t = time.perf_counter()
    emb = load_embedder(settings.embedder, settings.embed_batch)
    model_s = time.perf_counter() - t
    model = getattr(emb, "model", None)
    fake = HashEmbedder(emb.dim)
    times: dict[str, list[float]] = defaultdict(list)
    info: dict[str, Any] = {}
    tmp = Path(tempfile.mkdtemp(prefix="rag-bench-build-"))
    try:
        if model is not None:
            model.encode(["warm-up"], show_progress_bar=False)
        for r in range(runs):
            root = tmp / f"run{r}"
            shutil.copytree(settings.seeds_path, root / "seeds")
            s = settings.with_(root=root, seeds_dir="seeds", index_dir="index")
            report = index_mod.build(s, emb, force=True)
            times["build"].append(report.seconds)
            times["no_model"].append(index_mod.build(s.with_(index_dir="index-fake"), fake, force=True).seconds)
            idx = index_mod.load(s)
            chunk_texts = [c.text for c in idx.chunks]
            all_texts = chunk_texts + list(dict.fromkeys(x.text for x in idx.sentences))
            info = {"chunks": report.n_chunks, "sentences": len(idx.sentences), "texts_embedded": report.n_embedded,
                    "index_mb": sum(p.stat().st_size for p in s.index_path.rglob("*") if p.is_file()) / 1e6}
            if model is not None:
                for key, texts in (("encode_chunks", chunk_texts), ("encode_all", all_texts)):
                    t = time.perf_counter()
                    model.encode(texts, batch_size=settings.embed_batch, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
                    times[key].append(time.perf_counter() - t)
            log(f"build run {r + 1}/{runs}: {report.seconds:.1f} s for {report.n_chunks} chunks")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: float(np.median(v)) for k, v in times.items()}
    out = {**info, "runs": runs, "model_load_s": model_s, "build_s": med["build"], "no_model_s": med["no_model"],
           "chunks_per_s": info["chunks"] / med["build"], "encode_chunks_s": None, "encode_chunks_per_s": None,
           "encode_all_s": None, "encode_ratio": None, "overhead_ratio": None}
    if model is not None:
        out.update(encode_chunks_s=med["encode_chunks"], encode_chunks_per_s=info["chunks"] / med["encode_chunks"],
                   encode_all_s=med["encode_all"], overhead_ratio=med["build"] / med["encode_all"])
        out["encode_ratio"] = out["encode_chunks_per_s"] / out["chunks_per_s"]
    return out


# ---------------------------------------------------------------- the whole run

def run(settings: Settings, questions: Path, *, repeat: int, quick: bool, cold_runs: int, build_runs: int,
        log: Callable[[str], None]) -> dict[str, Any]:
    from rag.pipeline import Engine

    items = load_questions(questions)
    if quick:
        singles = [it for it in items if len(it.turns) == 1][:12]
        items = singles + [it for it in items if len(it.turns) > 1][:3]
    load0 = os.getloadavg()
    t = time.perf_counter()
    engine = Engine(settings)
    engine.get_embedder()
    engine_load_s = time.perf_counter() - t
    log(f"latency: {len(items)} questions x {repeat}…")
    lat = latency(engine, items, repeat=repeat, warmup=3 if quick else 5)
    log(f"cold start: {cold_runs} x rag ask…")
    env = {"RAG_ROOT": str(settings.root.resolve()), "RAG_EMBEDDER": settings.embedder,
           "RAG_INDEX_DIR": settings.index_dir, "RAG_SEEDS_DIR": settings.seeds_dir}
    cold = cold_start(settings.root, next(it.question for it in items if len(it.turns) == 1), cold_runs, env)
    log(f"build: {build_runs} fresh build(s) of a copy of {settings.seeds_path}…")
    build = build_throughput(settings, build_runs, log)
    import resource

    return {
        **lat,
        "cold_start_s": cold["wall_s"]["p50"],
        "cold_start": cold,
        "peak_rss_mb": cold["peak_rss_mb"],
        "bench_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "engine_load_s": engine_load_s,
        "build": build,
        "index": {"chunks": len(engine.index.chunks), "sentences": len(engine.index.sentences),
                  "vector_index": engine.index.manifest.get("vector_index", {"chunks": {"kind": "flat"},
                                                                             "sentences": {"kind": "flat"}})},
        "machine": {"cpus": os.cpu_count(), "loadavg_start": load0, "loadavg_end": os.getloadavg(),
                    "python": platform.python_version(), "torch_threads": _torch_threads()},
        "settings": {"embedder": settings.embedder, "top_k": settings.top_k, "retriever": settings.retriever,
                     "ann_threshold": settings.ann_threshold},
        "quick": quick,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _torch_threads() -> int | None:
    try:
        import torch

        return int(torch.get_num_threads())
    except ImportError:
        return None


# ---------------------------------------------------------------- Markdown

def _ms(v: dict[str, float]) -> str:
    return f"{v['p50']:.1f} | {v['p95']:.1f}"


def markdown(res: dict[str, Any] | None, scale: dict[str, Any] | None) -> str:
    """The results as Markdown tables (the README's bench block)."""
    out: list[str] = []
    if res:
        m = res["machine"]
        out += [f"Measured {res['measured_at'][:10]} on {m['cpus']} CPU cores (load average "
                f"{m['loadavg_start'][0]:.1f} → {m['loadavg_end'][0]:.1f}: a shared machine, so medians of "
                f"{res['repeat']} runs over {res['questions']} questions after a warm-up; the ratio is against "
                f"a floor measured in the same loop).", "",
                "| warm query, by stage | p50 ms | p95 ms |", "|---|---:|---:|"]
        for k, v in res["stages_ms"].items():
            out.append(f"| {STAGE_NAMES.get(k, k)} | {_ms(v)} |")
        out.append(f"| **floor**: query embedding + dense search alone | {_ms(res['floor_ms'])} |")
        if res.get("followup_ms"):
            out.append(f"| follow-up question, total (asked after its earlier turns, as in a chat) | {_ms(res['followup_ms'])} |")
        ok = "within" if res["ratio"] <= MAX_RATIO else "above"
        b = res["build"]
        out += ["", f"Overhead: a warm extractive answer takes **{res['ratio']:.2f}×** the floor ({ok} the "
                f"{MAX_RATIO:g}× goal); a follow-up {res.get('followup_ratio') or 0:.2f}×.", "",
                "| start-up, build, memory | value |", "|---|---:|",
                f"| cold start: a whole `rag ask --json` process (median of {res['cold_start']['runs']}) | "
                f"{res['cold_start_s']:.2f} s |",
                f"| … of which its first answer, which imports sentence-transformers and loads the model | "
                f"{res['cold_start']['answer_ms']['p50'] / 1000:.2f} s |",
                f"| peak RSS of that process | {res['peak_rss_mb']:.0f} MB |",
                f"| index build, fresh ({b['chunks']} chunks, {b['sentences']} sentences, model loaded) | "
                f"{b['build_s']:.1f} s |",
                f"| build throughput | {b['chunks_per_s']:.1f} chunks/s |"]
        if b.get("encode_chunks_per_s"):
            out += [f"| bare `SentenceTransformer.encode`, same chunk texts | {b['encode_chunks_per_s']:.1f} chunks/s "
                    f"({b['encode_ratio']:.2f}× the build's rate, which also embeds the sentences) |",
                    f"| bare `encode` of every text the build embeds (chunks + distinct sentences) | "
                    f"{b['encode_all_s']:.1f} s (the build takes {b['overhead_ratio']:.2f}× that) |"]
        if b.get("no_model_s") is not None:
            out.append(f"| the same build with a fake embedder (all the work that is not the model) | "
                       f"{b['no_model_s']:.2f} s |")
    if scale and scale.get("corpus"):
        out += ["", "Scale: synthetic corpora whose every sentence is a corpus sentence (recombined into new "
                "articles), through the real pipeline and model, built and queried in separate processes. Builds "
                "ran at low priority beside other work, so their times are pessimistic (an interrupted build resumes "
                "from its embedding checkpoint; the table says how much was resumed); queries over the eval "
                "questions ran at normal priority (ms, one pass after a warm-up).", "",
                "| chunks | sentences | build | chunks embedded /s | index on disk | vector index (chunks / sentences) | "
                "recall@10 vs exact | load | first answer | vector search p50 (chunks + sentences) | BM25 p50 | "
                "warm total p50 / p95 | floor p50 | peak RSS build / query |",
                "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for key in sorted(scale["corpus"], key=int):
            r = scale["corpus"][key]
            b, q = r["build"], r["query"]
            vi = b.get("vector_index") or {}
            kinds = " / ".join(_kind(vi.get(p, {})) for p in ("chunks", "sentences"))
            rec = " / ".join("exact" if v is None else f"{v:.3f}" for v in q["recall_at_10"].values())
            lat = q["latency"]
            resumed = (b.get("resumed_rows") or {}).get("chunks", 0)
            build = _dur(b["build_s"]) + (f" (+ {resumed:,} chunk vectors resumed from a checkpoint)" if resumed else "")
            embed_s = (b.get("embed_s") or {}).get("chunks")
            rate = (b["chunks"] - resumed) / embed_s if embed_s else b["chunks_per_s"]
            out.append(f"| {b['chunks']:,} | {b['sentences']:,} | {build} | {rate:.1f} | "
                       f"{r['index_mb']:.0f} MB | {kinds} | {rec} | {q['load_s']:.1f} s | {q['first_answer_s']:.1f} s | "
                       f"{lat['stages_ms']['dense']['p50']:.1f} + {lat['stages_ms']['sentence_dense']['p50']:.1f} | "
                       f"{lat['stages_ms']['bm25']['p50']:.1f} | "
                       f"{lat['stages_ms']['total']['p50']:.0f} / {lat['stages_ms']['total']['p95']:.0f} ms | "
                       f"{lat['floor_ms']['p50']:.0f} ms | {b['build_peak_rss_mb']:.0f} / {q['query_peak_rss_mb']:.0f} MB |")
    if scale and scale.get("vectors"):
        out += ["", "The vector index alone (real vectors of the corpus plus Gaussian noise; 40 neighbours per query, "
                "as retrieval asks; recall@10 against exact search on the eval questions' embeddings):", "",
                "| vectors | exact: build / search p50 / p95 | IVF: build / search p50 / p95 | IVF lists, probes | recall@10 |",
                "|---:|---:|---:|---:|---:|"]
        for _, r in sorted(scale["vectors"].items(), key=lambda kv: int(kv[0])):
            f, a = r["index"]["flat"], r["index"]["ivf"]
            out.append(f"| {r['n']:,} | {_dur(f['build_s'])} / {f['search_ms']['p50']:.2f} / {f['search_ms']['p95']:.2f} ms | "
                       f"{_dur(a['build_s'])} / {a['search_ms']['p50']:.2f} / {a['search_ms']['p95']:.2f} ms | "
                       f"{a['nlist']:,}, {a['nprobe']} | {a['recall_at_10']:.3f} |")
    return "\n".join(out)


def _kind(v: dict[str, Any]) -> str:
    return "exact" if v.get("kind", "flat") == "flat" else f"IVF {v['nlist']}/{v['nprobe']}"


def _dur(s: float) -> str:
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"


NOTES = """Above `ann_threshold` (50,000) vectors, counted separately for chunks and sentences, exact search gives way
to an IVF index (FAISS `IndexIVFFlat`, about 4·√n lists). At build time the number of lists probed is raised
until recall@10 against exact search reaches `ann_recall` (0.97) on two families of probe queries
(half-sentences of the corpus, midpoints of indexed vectors), and recorded in the manifest; the tables
report recall on the eval questions, which the calibration never sees. IVF rather than HNSW: repeated
sentences give duplicate vectors, and HNSW over them measured recall@10 of 0.40–0.46 here. Embedding runs in
batches of 256 texts, longest first, each distinct text once, with a progress bar, and appends every batch
to `index/.partial-*.npy`: an interrupted `rag index` resumes there (the manifest swap stays the commit point)."""

REPRODUCE = """Reproduce: `rag bench --update-readme README.md` (this block; `--quick` for a short run, `--json` for one
JSON object, `--render` to redraw it from `eval/bench/*.json`), `rag bench --scale 1000,10000,100000
--workdir DIR --build-nice 19` (the scale rows; the 100k build embeds for hours on two shared cores) and
`rag bench --vectors 10000,100000,1000000 --workdir DIR` (the vector-index rows)."""


# ---------------------------------------------------------------- shell

def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _merge(path: Path, part: str, key: str, row: dict[str, Any]) -> None:
    """Store one scale row, re-reading the file first: runs of other sizes may be writing to it too."""
    data = _read(path) or {}
    data.setdefault(part, {})[key] = row
    _write_json(path, data)


def _ints(s: str) -> list[int]:
    try:
        sizes = [int(float(x)) for x in s.replace("_", "").split(",") if x.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of sizes: {s!r}")
    return sizes


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag bench", description="Latency by stage, cold start, build throughput, "
                                "memory; and the scale runs.")
    p.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    p.add_argument("--repeat", type=int, help="passes over the questions (default 3; 1 with --quick)")
    p.add_argument("--quick", action="store_true", help="a short run: 15 questions, one pass, one build")
    p.add_argument("--cold-runs", type=int, default=3, help="rag ask processes for the cold start (default 3)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.add_argument("--out", type=Path, default=OUT_DIR, help="where results.json/.md go (default eval/bench)")
    p.add_argument("--update-readme", metavar="README", type=Path, help="rewrite the bench block of this README")
    p.add_argument("--max-ratio", type=float, help="exit 1 when total p50 / floor p50 is above this")
    p.add_argument("--render", action="store_true", help="measure nothing: rewrite results.md (and the README "
                   "block) from the stored JSON")
    p.add_argument("--scale", type=_ints, metavar="N,N,…", help="run synthetic corpora of about N chunks instead")
    p.add_argument("--vectors", type=_ints, metavar="N,N,…", help="benchmark the vector index alone at N vectors")
    p.add_argument("--workdir", type=Path, help="keep the scale corpora and indexes here (default: temporary)")
    p.add_argument("--scale-repeat", type=int, default=1, help="passes over the questions per scale run")
    p.add_argument("--build-nice", type=int, default=0, metavar="N", help="run the scale builds at this nice "
                   "level (e.g. 19 on a shared machine); queries keep normal priority")
    p.add_argument("--requery", action="store_true", help="with --scale and --workdir: measure the queries "
                   "again on the kept indexes, without rebuilding")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()

    def log(msg: str) -> None:
        print(f"bench: {msg}", file=sys.stderr, flush=True)

    res_path, scale_path = args.out / "results.json", args.out / "scale.json"
    if args.render:
        res, scale = _read(res_path), _read(scale_path)
        if res is None and scale is None:
            print(f"bench: nothing to render in {args.out}; run 'rag bench' first", file=sys.stderr)
            return 2
    elif args.scale or args.vectors:
        if args.scale:
            from eval.scale import run_corpus

            from eval.scale import requery

            for n in args.scale:
                old = ((_read(scale_path) or {}).get("corpus") or {}).get(str(n))
                if args.requery:
                    if old is None or args.workdir is None:
                        print(f"bench: --requery needs --workdir and a stored row for {n}", file=sys.stderr)
                        return 2
                    row = requery(old, settings, questions=args.questions, repeat=args.scale_repeat,
                                  workdir=args.workdir, log=log)
                else:
                    row = run_corpus(settings, n, questions=args.questions, repeat=args.scale_repeat,
                                     workdir=args.workdir, build_nice=args.build_nice, log=log)
                _merge(scale_path, "corpus", str(n), row)  # each size is kept as soon as it is measured
        if args.vectors:
            for row in _vectors(settings, args, log):
                _merge(scale_path, "vectors", str(row["n"]), row)
        res, scale = _read(res_path), _read(scale_path)
    else:
        repeat = args.repeat or (1 if args.quick else 3)
        res = run(settings, args.questions, repeat=repeat, quick=args.quick, cold_runs=max(args.cold_runs, 1),
                  build_runs=1 if args.quick else repeat, log=log)
        _write_json(res_path, res)
        scale = _read(scale_path)
    md = markdown(res, scale)
    args.out.mkdir(parents=True, exist_ok=True)
    text = "\n\n".join([md, NOTES, REPRODUCE] if scale else [md, REPRODUCE])
    (args.out / "results.md").write_text(text + "\n", encoding="utf-8")
    if args.update_readme:
        from rag.report import replace_block

        replace_block(args.update_readme, "bench", text)
    if args.json:
        print(json.dumps(scale if (args.scale or args.vectors) else res))
    else:
        print(md)
    if args.max_ratio is not None and res and res["ratio"] > args.max_ratio:
        print(f"bench: total p50 is {res['ratio']:.2f}x the floor, above {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


def _vectors(settings: Settings, args: argparse.Namespace, log: Callable[[str], None]) -> Iterator[dict[str, Any]]:
    """Vector-index rows: base vectors from the kept scale indexes (or the shipped index), eval-question queries."""
    from eval.scale import run_vectors
    from rag import index as index_mod
    from rag.embedding import load_embedder

    # The largest kept scale index has the most distinct real vectors; else the shipped index.
    base_idx = index_mod.load(settings, verify=False)
    if args.workdir:
        for d in sorted(args.workdir.glob("scale-*"), key=lambda p: int(p.name.split("-")[1])):
            try:
                base_idx = index_mod.load(Settings.from_env(d), verify=False)
            except index_mod.IndexError_:
                continue
    # Recombined sentences repeat; each distinct real vector counts once.
    base = np.unique(np.concatenate([base_idx.chunk_vectors, base_idx.sentence_vectors]), axis=0)
    log(f"vectors: {len(base):,} distinct real vectors as the base")
    emb = load_embedder(settings.embedder, settings.embed_batch)
    queries = np.stack([emb.embed_query(it.question) for it in load_questions(args.questions)]).astype(np.float32)
    # Calibration probes as a build makes them: half-sentences of the corpus (never the eval questions).
    probes = np.stack([emb.embed_query(t) for t in index_mod.probe_texts([s.text for s in base_idx.sentences])])
    yield from run_vectors(settings, args.vectors, base, queries, probes, log=log)


if __name__ == "__main__":
    sys.exit(main())
