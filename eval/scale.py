"""Scale runs: a synthetic corpus made of the real corpus's sentences, pushed through the real pipeline.

``synthesize`` writes new articles whose every sentence is a sentence of ``seeds/`` (recombined in a new
order under a real headline and date), sized to about N chunks. ``run_corpus`` builds an index over it
and answers the eval questions, each step in its own process so memory and start-up are measured
separately. ``run_vectors`` takes the vector index alone to a million vectors (real vectors plus noise).
The shell is ``rag bench --scale`` / ``--vectors`` (eval/bench.py).
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.settings import Settings

ARTICLES_PER_FILE = 400  # keeps every synthetic seed file far below the per-file size limit


# ---------------------------------------------------------------- the synthetic corpus

@dataclass(frozen=True)
class Pool:
    """What synthetic articles are made of: the corpus's sentences, headlines and dates."""

    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    dates: tuple[str, ...]  # as printed on a "Published On" line, e.g. "26 Oct 2025"


def corpus_pool(settings: Settings) -> Pool:
    """Sentences (no photo captions, no one- or two-word lines), headlines and dates of the corpus."""
    from datetime import date

    from rag.sources import load_corpus, split_sentences

    docs = load_corpus(settings.seeds_path, settings.root)
    sentences = tuple(dict.fromkeys(s.text for d in docs for s in d.sentences
                                    if not s.caption and len(s.text.split()) >= 3))
    known = set(sentences)
    # A headline is reused only when it splits into corpus sentences, so a generated file holds nothing else.
    titles = tuple(dict.fromkeys(d.title for d in docs
                                 if all(d.title[a:b] in known for a, b in split_sentences(d.title))))
    dates = tuple(sorted({f"{x.day} {x:%b %Y}" for x in (date.fromisoformat(d.date) for d in docs if d.date)}))
    if not sentences or not titles:
        raise ValueError(f"{settings.seeds_path} has too little text to recombine")
    return Pool(sentences, titles, dates or ("1 Jan 2025",))


def _paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    """Group sentences into paragraph lines of 1–3, but only where the splitter cuts them apart again."""
    from rag.sources import split_sentences

    lines: list[str] = []
    i = 0
    while i < len(sentences):
        want = rng.choice((1, 2, 2, 3))
        para = sentences[i]
        j = i + 1
        while j < len(sentences) and j - i < want:
            joined = f"{para} {sentences[j]}"
            cuts = [joined[a:b] for a, b in split_sentences(joined)]
            if cuts != sentences[i:j + 1]:
                break
            para, j = joined, j + 1
        lines.append(para)
        i = j
    return lines


def _article(pool: Pool, rng: random.Random, n_sentences: int) -> str:
    day = rng.choice(pool.dates)
    body = _paragraphs(rng.sample(pool.sentences, min(n_sentences, len(pool.sentences))), rng)
    return "\n".join([rng.choice(pool.titles), f"Published On {day}{day}", "Share", *body]) + "\n"


def synthesize(pool: Pool, out_dir: Path, n_chunks: int, settings: Settings, seed: int = 0) -> dict[str, Any]:
    """Write articles of recombined corpus sentences into ``out_dir`` (about ``n_chunks`` chunks in all)."""
    from rag.chunking import chunk_document
    from rag.sources import split_articles

    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    lo, hi = 12, 36  # sentences per article, like the real articles' range

    def article() -> str:
        return _article(pool, rng, rng.randint(lo, hi))

    # Articles are added until the real chunker, run on each, has counted n_chunks.
    articles: list[str] = []
    total = 0
    while total < n_chunks:
        text = article()
        total += sum(len(chunk_document(d, settings.chunk_tokens, settings.chunk_overlap, settings.encoding))
                     for d in split_articles(text, "synth.txt", ""))
        articles.append(text)
    files = []
    for f in range(math.ceil(len(articles) / ARTICLES_PER_FILE)):
        p = out_dir / f"synth_{f:04d}.txt"
        p.write_text("".join(articles[f * ARTICLES_PER_FILE:(f + 1) * ARTICLES_PER_FILE]), encoding="utf-8")
        files.append(p)
    return {"articles": len(articles), "files": len(files), "chunks_counted": total,
            "bytes": sum(p.stat().st_size for p in files)}


# ---------------------------------------------------------------- measurements (each in its own process)

def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class _Progress:
    """Prints embedding progress to stderr now and then; keeps each stage's time and resumed rows."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self.resumed: dict[str, int] = {}
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage not in self.started:
            self.started[stage], self.resumed[stage] = now, done
        self.seconds[stage] = now - self.started[stage]
        if total and (done == total or now - self.last > 60):
            self.last = now
            print(f"  embedding {stage}: {done:,}/{total:,}", file=sys.stderr, flush=True)


def worker_build(root: Path) -> dict[str, Any]:
    """Build the index of ``root`` from scratch; time, texts embedded, vector index kinds, peak memory."""
    from rag import index as index_mod
    from rag.embedding import load_embedder

    s = Settings.from_env(root)
    t = time.perf_counter()
    emb = load_embedder(s.embedder, s.embed_batch)
    model_s = time.perf_counter() - t
    progress = _Progress()
    report = index_mod.build(s, emb, force=True, progress=progress)
    m = index_mod.read_manifest(s.index_path) or {}
    return {"build_s": report.seconds, "model_load_s": model_s, "chunks": report.n_chunks,
            "sentences": m.get("sentence_count"), "texts_embedded": report.n_embedded,
            "embed_s": progress.seconds, "resumed_rows": progress.resumed,
            "chunks_per_s": report.n_chunks / report.seconds, "vector_index": m.get("vector_index"),
            "build_peak_rss_mb": peak_rss_mb()}


def worker_query(root: Path, questions: Path, repeat: int) -> dict[str, Any]:
    """Load the index, answer the eval questions; latency by stage, recall of the vector indexes, memory."""
    import faiss

    from eval.bench import latency, load_questions
    from rag.index import recall_at_k
    from rag.pipeline import Engine

    from rag import index as index_mod

    s = Settings.from_env(root)
    # Loading is timed on an up-to-date index: one left stale by a code change is brought up to date first
    # (reusing its vectors), outside the measurement.
    try:
        stale = index_mod.staleness(index_mod.read_manifest(s.index_path), s, s.embedder)
    except index_mod.IndexError_ as exc:
        stale = str(exc)
    if stale:
        from rag.embedding import load_embedder

        index_mod.build(s, load_embedder(s.embedder, s.embed_batch), progress=_Progress())
    t = time.perf_counter()
    eng = Engine(s)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    emb = eng.get_embedder()
    model_s = time.perf_counter() - t
    items = load_questions(questions)
    first_q = next(it.question for it in items if len(it.turns) == 1)
    t = time.perf_counter()
    eng.ask(first_q, mode="extractive")  # first answer also builds the answerer's per-sentence statistics
    first_s = time.perf_counter() - t
    lat = latency(eng, items, repeat=repeat, warmup=3)
    qv = np.stack([emb.embed_query(it.question) for it in items]).astype(np.float32)
    recall: dict[str, float | None] = {}
    for part, fi, vecs in (("chunks", eng.index.faiss_index, eng.index.chunk_vectors),
                           ("sentences", eng.index.sentence_faiss, eng.index.sentence_vectors)):
        if isinstance(fi, faiss.IndexFlat):
            recall[part] = None  # exact search
        else:
            exact, _ = faiss.knn(qv, np.ascontiguousarray(vecs, dtype=np.float32), 10,
                                 metric=faiss.METRIC_INNER_PRODUCT)
            recall[part] = round(recall_at_k(fi.search(qv, 10)[0], exact), 4)
    return {"load_s": load_s, "model_load_s": model_s, "first_answer_s": first_s, "latency": lat, "refreshed": stale,
            "recall_at_10": recall, "query_peak_rss_mb": peak_rss_mb()}


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))


def _call_worker(args: list[str], root: Path, nice: int = 0) -> dict[str, Any]:
    """Run ``python -m eval.scale <args>`` with the root's settings; its stdout is one JSON object."""
    env = {**os.environ, "RAG_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-m", "eval.scale", *args], env=env, cwd=Path.cwd(), text=True,
                          stdout=subprocess.PIPE, stderr=None, check=False,
                          preexec_fn=(lambda: os.nice(nice)) if nice else None)
    if proc.returncode != 0:
        raise RuntimeError(f"scale worker {' '.join(args[:2])} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout)


def requery(row: dict[str, Any], settings: Settings, *, questions: Path, repeat: int, workdir: Path,
            log=print) -> dict[str, Any]:
    """Measure the queries again on a kept scale index (same corpus and build); the row, updated."""
    root = workdir / f"scale-{row['target_chunks']}"
    log(f"scale {row['target_chunks']:,}: querying the kept index in {root}…")
    query = _call_worker(["_query", str(root), str(questions.resolve()), str(repeat)], root)
    return {**row, "query": query, "index_mb": _dir_bytes(root / settings.index_dir) / 1e6,
            "queried_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def run_corpus(settings: Settings, n_chunks: int, *, questions: Path, repeat: int = 1,
               workdir: Path | None = None, build_nice: int = 0, log=print) -> dict[str, Any]:
    """Synthesize ~``n_chunks`` chunks, build (one process), then query (another); one result row."""
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix=f"rag-scale-{n_chunks}-")) if own else workdir / f"scale-{n_chunks}"
    try:
        # The seeds are written afresh (the same ones: the generator is seeded); the index folder stays, so
        # an interrupted build resumes from its embedding checkpoint.
        shutil.rmtree(root / "seeds", ignore_errors=True)
        (root / "seeds").mkdir(parents=True)
        pool = corpus_pool(settings)
        t = time.perf_counter()
        corpus = synthesize(pool, root / "seeds", n_chunks, settings)
        corpus["generate_s"] = time.perf_counter() - t
        log(f"scale {n_chunks:,}: {corpus['articles']:,} synthetic articles in {corpus['files']} files; building…")
        # A long build may run at low priority (build_nice) so it does not disturb other work; the
        # measured build time then depends on that work, and the queries run at normal priority.
        build = _call_worker(["_build", str(root)], root, build_nice)
        build["nice"] = build_nice
        log(f"scale {n_chunks:,}: built {build['chunks']:,} chunks in {build['build_s']:.0f} s; querying…")
        query = _call_worker(["_query", str(root), str(questions.resolve()), str(repeat)], root)
        return {"target_chunks": n_chunks, "corpus": corpus, "build": build,
                "index_mb": _dir_bytes(root / settings.index_dir) / 1e6, "query": query,
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "loadavg": os.getloadavg()}
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- the vector index alone

def synthetic_vectors(base: np.ndarray, n: int, noise: float = 0.02, seed: int = 0,
                      block: int = 100_000) -> np.ndarray:
    """``n`` unit vectors: real ones (rows of ``base``, cycled) plus Gaussian noise, renormalized."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for a in range(0, n, block):
        b = min(a + block, n)
        x = base[np.arange(a, b) % len(base)] + rng.normal(0.0, noise, (b - a, base.shape[1])).astype(np.float32)
        out[a:b] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def _pct(xs: list[float]) -> dict[str, float]:
    return {"p50": float(np.percentile(xs, 50)), "p95": float(np.percentile(xs, 95))}


def run_vectors(settings: Settings, sizes: list[int], base: np.ndarray, queries: np.ndarray,
                probes: np.ndarray | None = None, noise: float = 0.02, log=print) -> Iterator[dict[str, Any]]:
    """Exact vs approximate search over ``n`` synthetic vectors: build time, size, latency, recall@10."""
    import faiss

    from rag.index import make_vector_index, recall_at_k, wanted_kind

    for n in sizes:
        x = synthetic_vectors(base, n, noise)
        cos = float(np.mean(np.sum(x[:1000] * (base[np.arange(1000) % len(base)]), axis=1)))
        exact, _ = faiss.knn(queries, x, 10, metric=faiss.METRIC_INNER_PRODUCT)
        row: dict[str, Any] = {"n": n, "noise": noise, "cos_to_source": round(cos, 3),
                               "gib": x.nbytes / 2**30, "index": {}}
        ann = settings.with_(ann_threshold=min(settings.ann_threshold, n - 1))
        for kind, s in (("flat", settings.with_(ann_threshold=n)), ("ivf", ann)):
            assert wanted_kind(n, s) == kind
            t = time.perf_counter()
            fi, info = make_vector_index(x, s, probes)
            build_s = time.perf_counter() - t
            lat = []
            for q in queries:
                t = time.perf_counter()
                fi.search(q[None], 40)  # the depth retrieval asks for
                lat.append((time.perf_counter() - t) * 1000)
            row["index"][kind] = {**info, "build_s": build_s, "search_ms": _pct(lat),
                                  "recall_at_10": round(recall_at_k(fi.search(queries, 10)[0], exact), 4)}
            log(f"vectors {n:,} {kind}: build {build_s:.1f} s, search p50 {row['index'][kind]['search_ms']['p50']:.2f} ms, "
                f"recall@10 {row['index'][kind]['recall_at_10']}")
            del fi
        yield row


def main(argv: list[str]) -> int:
    """Internal entry points of the scale runs (one JSON object on stdout)."""
    cmd, rest = argv[0], argv[1:]
    if cmd == "_build":
        out = worker_build(Path(rest[0]))
    elif cmd == "_query":
        out = worker_query(Path(rest[0]), Path(rest[1]), int(rest[2]))
    else:
        print(f"unknown command {cmd!r}; use 'rag bench --scale' or 'rag bench --vectors'", file=sys.stderr)
        return 2
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
