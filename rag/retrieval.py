"""Dense, BM25 and fused (normalised-score) retrieval over a loaded index."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from rag.index import Index, tokenize_for_bm25
from rag.text import expansions
from rag.types import Chunk, Hit

RETRIEVERS = ("hybrid", "dense", "bm25")
# Each retriever's candidate list, whose scores are normalised for fusion. Fixed, so that a larger top-k
# only appends hits: the first k hits do not depend on how many were asked for (up to this depth).
FUSION_DEPTH = 40


@dataclass(frozen=True)
class Ranking:
    """One retriever's scores for the whole chunk list (NaN where it has none)."""

    order: np.ndarray  # chunk positions, best first
    scores: np.ndarray  # score per chunk position


def dense_search(index: Index, query_vec: np.ndarray, k: int) -> Ranking:
    k = min(k, len(index.chunks))
    scores = np.full(len(index.chunks), np.nan, dtype=np.float32)
    if k == 0:
        return Ranking(np.zeros(0, dtype=np.int64), scores)
    d, i = index.faiss_index.search(query_vec.reshape(1, -1).astype(np.float32), k)
    keep = i[0] >= 0
    scores[i[0][keep]] = d[0][keep]
    return Ranking(i[0][keep].astype(np.int64), scores)


def sentence_dense_search(index: Index, query_vec: np.ndarray, k: int) -> Ranking:
    """Chunks ranked by their best-matching sentence (finer than one vector per chunk)."""
    scores = np.full(len(index.chunks), np.nan, dtype=np.float32)
    n = min(k * 4, len(index.sentences))
    if n == 0:
        return Ranking(np.zeros(0, dtype=np.int64), scores)
    d, i = index.sentence_faiss.search(query_vec.reshape(1, -1).astype(np.float32), n)
    order: list[int] = []
    for sim, sp in zip(d[0].tolist(), i[0].tolist()):
        for cp in index.sentence_chunks[sp] if sp >= 0 else ():
            if np.isnan(scores[cp]):
                scores[cp] = sim
                order.append(cp)
    return Ranking(np.asarray(order[:k], dtype=np.int64), scores)


def bm25_scores(index: Index, query: str) -> np.ndarray:
    tokens = tokenize_for_bm25([f"{query} {expansions(query)}"])[0]
    if not tokens or not len(index.chunks):
        return np.zeros(len(index.chunks), dtype=np.float32)
    return np.asarray(index.bm25.get_scores(tokens), dtype=np.float32)


def bm25_search(index: Index, query: str, k: int) -> Ranking:
    scores = bm25_scores(index, query)
    order = np.argsort(-scores, kind="stable")
    order = order[scores[order] > 0][:k]
    return Ranking(order.astype(np.int64), scores)


def fuse(rankings: list[tuple[Ranking, float]]) -> dict[int, float]:
    """Weighted sum of min-max normalised scores; a chunk missing from a ranking gets 0 from it.

    Unlike reciprocal ranks, normalised scores keep how far ahead a retriever's best candidates are: a
    sentence vector that matches far better than the rest is not outvoted by a flat BM25 list.
    """
    fused: dict[int, float] = {}
    for ranking, weight in rankings:
        if not len(ranking.order):
            continue
        x = ranking.scores[ranking.order].astype(np.float64)
        lo, span = float(x.min()), float(x.max() - x.min())
        norm = (x - lo) / span if span > 0 else np.ones_like(x)
        for pos, v in zip(ranking.order.tolist(), norm.tolist()):
            fused[pos] = fused.get(pos, 0.0) + weight * v
    return fused


def _overlap(a: tuple[str, int, int], b: tuple[str, int, int]) -> float:
    if a[0] != b[0]:
        return 0.0
    inter = min(a[2], b[2]) - max(a[1], b[1])
    return max(inter, 0) / max(min(a[2] - a[1], b[2] - b[1]), 1)


def search(index: Index, query: str, query_vec: np.ndarray | None, *, top_k: int, retriever: str = "hybrid",
           dense_weight: float = 0.5, sentence_weight: float = 0.5,
           bm25_weight: float = 1.0, timings: dict[str, float] | None = None,
           leaders: list[Chunk] | None = None) -> list[Hit]:
    """Top-k hits, best first; chunks mostly covered by a better hit are dropped.

    ``timings``, when given, receives the milliseconds of each part (dense, sentence_dense, bm25, fusion).
    ``leaders``, when given, receives the best chunk of the sentence-vector and BM25 rankings (hybrid only):
    fusion may rank a chunk low that one of them is sure of.
    """
    if retriever not in RETRIEVERS:
        raise ValueError(f"unknown retriever {retriever!r}; choose one of {', '.join(RETRIEVERS)}")
    depth = max(top_k, FUSION_DEPTH)
    use_dense = retriever != "bm25" and query_vec is not None
    t = time.perf_counter()
    dense = dense_search(index, query_vec, depth) if use_dense else None
    t = _lap(timings, "dense", t)
    sent = sentence_dense_search(index, query_vec, depth) if use_dense and retriever == "hybrid" else None
    t = _lap(timings, "sentence_dense", t)
    sparse = bm25_search(index, query, depth) if retriever != "dense" else None
    t = _lap(timings, "bm25", t)
    if retriever == "hybrid":
        parts = ((dense, dense_weight), (sent, sentence_weight), (sparse, bm25_weight))
        scored = fuse([(r, w) for r, w in parts if r is not None and w > 0])
        if leaders is not None:
            leaders.extend(index.chunks[int(r.order[0])] for r in (sent, sparse) if r is not None and len(r.order))
    else:
        only = dense if retriever == "dense" else sparse
        scored = {} if only is None else {int(p): float(only.scores[p]) for p in only.order}
    hits: list[Hit] = []
    kept: list[tuple[str, int, int]] = []
    for pos, score in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])):
        c = index.chunks[pos]
        span = (c.path, c.start, c.end)
        if any(_overlap(span, k) > 0.5 for k in kept):
            continue
        kept.append(span)
        hits.append(Hit(c, score, len(hits) + 1,
                        None if dense is None or np.isnan(dense.scores[pos]) else float(dense.scores[pos]),
                        None if sparse is None else float(sparse.scores[pos])))
        if len(hits) >= top_k:
            break
    _lap(timings, "fusion", t)
    return hits


def _lap(timings: dict[str, float] | None, part: str, since: float) -> float:
    now = time.perf_counter()
    if timings is not None:
        timings[part] = (now - since) * 1000.0
    return now
