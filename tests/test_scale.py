"""Scale path: approximate vector index above a threshold, resumable embedding, the synthetic corpus."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from eval.scale import corpus_pool, synthesize, synthetic_vectors
from rag import index as index_mod
from rag.embedding import HashEmbedder
from rag.retrieval import dense_search, search
from rag.settings import Settings
from rag.sources import load_corpus


class CountingEmbedder(HashEmbedder):
    """The fake embedder, counting the texts it embeds and failing after ``fail_after`` calls."""

    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__(64)
        self.embedded: list[str] = []
        self.calls = 0
        self.fail_after = fail_after

    def embed_documents(self, texts):
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise KeyboardInterrupt("killed while embedding")
        self.calls += 1
        self.embedded.extend(texts)
        return super().embed_documents(texts)


@pytest.fixture(scope="module")
def synth_root(tmp_path_factory) -> Path:
    """About 1,000 chunks of recombined corpus sentences."""
    root = tmp_path_factory.mktemp("synth")
    synthesize(corpus_pool(Settings(root=Path(__file__).resolve().parents[1])), root / "seeds", 1000, Settings())
    return root


def _settings(root: Path, **kw) -> Settings:
    return Settings(root=root, embedder="hash-64", **kw)


# ---------------------------------------------------------------- the synthetic corpus

def test_synthetic_corpus_is_made_of_corpus_sentences(synth_root: Path):
    real = {s.text for d in load_corpus(Path(__file__).resolve().parents[1] / "seeds", Path(".")) for s in d.sentences}
    docs = load_corpus(synth_root / "seeds", synth_root)
    sentences = [s.text for d in docs for s in d.sentences]
    assert len(docs) > 100 and len(sentences) > 3000
    assert all(s in real for s in sentences)
    assert len(set(sentences)) < len(sentences)  # recombined, so sentences recur across articles
    assert sum(bool(d.date) for d in docs) > 0.9 * len(docs)  # articles keep a real date line


def test_synthetic_corpus_has_the_requested_size(tmp_path: Path):
    s = Settings()
    synthesize(corpus_pool(Settings(root=Path(__file__).resolve().parents[1])), tmp_path / "seeds", 300, s)
    from rag.chunking import chunk_corpus

    n = len(chunk_corpus(load_corpus(tmp_path / "seeds", tmp_path), s.chunk_tokens, s.chunk_overlap, s.encoding))
    assert 300 <= n < 330


# ---------------------------------------------------------------- approximate search

def test_index_switches_to_ivf_above_the_threshold(synth_root: Path, tmp_path: Path):
    import faiss

    s = _settings(synth_root, index_dir=str(tmp_path / "ix"), ann_threshold=800)
    index_mod.build(s, HashEmbedder(64))
    m = index_mod.read_manifest(s.index_path)
    assert m["vector_index"]["chunks"]["kind"] == "ivf" and m["vector_index"]["sentences"]["kind"] == "ivf"
    assert m["vector_index"]["chunks"]["calibrated_recall_at_10"] >= s.ann_recall
    idx = index_mod.load(s)
    assert isinstance(idx.faiss_index, faiss.IndexIVFFlat) and isinstance(idx.sentence_faiss, faiss.IndexIVFFlat)
    assert idx.faiss_index.nprobe == m["vector_index"]["chunks"]["nprobe"]  # the calibrated probes come back
    q = HashEmbedder(64).embed_query("ceasefire talks in Istanbul")
    hits = search(idx, "ceasefire talks in Istanbul", q, top_k=5)
    assert len(hits) == 5
    # Below the threshold: exact search again, and no text is embedded anew for the switch.
    emb = CountingEmbedder()
    report = index_mod.build(s.with_(ann_threshold=50_000), emb)
    assert not report.up_to_date and "vector index" in (report.reason or "") and emb.embedded == []
    idx = index_mod.load(s)
    assert isinstance(idx.faiss_index, faiss.IndexFlatIP)
    assert index_mod.build(s.with_(ann_threshold=50_000), HashEmbedder(64)).up_to_date


def test_approximate_search_keeps_recall_against_exact():
    """A few thousand vectors: IVF top-10 against brute force, on queries the calibration never saw."""
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(60, 48)).astype(np.float32)
    base = centres[rng.integers(0, 60, 3000)] + rng.normal(0, 0.6, (3000, 48)).astype(np.float32)
    x = synthetic_vectors(base / np.linalg.norm(base, axis=1, keepdims=True), 6000, noise=0.05)
    s = Settings(ann_threshold=2000)
    fi, info = index_mod.make_vector_index(x, s)
    assert info["kind"] == "ivf" and 1 <= info["nprobe"] <= info["nlist"]
    queries = index_mod.calibration_queries(x, 300, seed=7)
    oracle = np.sort(queries @ x.T, axis=1)[:, ::-1][:, :10]  # brute force
    got, ids = fi.search(queries, 10)
    assert index_mod.recall_at_k(got, oracle) >= 0.95
    np.testing.assert_allclose(got[ids >= 0], np.take_along_axis(queries @ x.T, np.maximum(ids, 0), 1)[ids >= 0],
                               rtol=1e-4, atol=1e-5)  # returned scores are exact inner products
    flat, info = index_mod.make_vector_index(x, Settings())
    assert info == {"kind": "flat"}
    np.testing.assert_allclose(flat.search(queries, 10)[0], oracle, rtol=1e-4, atol=1e-5)


def test_recall_counts_ties_as_found():
    exact = np.array([[0.9, 0.8, 0.8]])
    assert index_mod.recall_at_k(np.array([[0.9, 0.8, 0.8]]), exact) == 1.0  # other copies of a duplicate
    assert index_mod.recall_at_k(np.array([[0.9, 0.8, 0.5]]), exact) == pytest.approx(2 / 3)
    assert index_mod.recall_at_k(np.array([[0.9, 0.8, -np.inf]]), exact) == pytest.approx(2 / 3)


def test_dense_search_over_ivf_matches_brute_force_mostly(synth_root: Path, tmp_path: Path):
    s = _settings(synth_root, index_dir=str(tmp_path / "ix"), ann_threshold=800)
    index_mod.build(s, HashEmbedder(64))
    idx = index_mod.load(s)
    emb = HashEmbedder(64)
    found = 0
    questions = [s.text for s in idx.sentences[::97]][:40]
    for q in questions:
        v = emb.embed_query(q)
        got = dense_search(idx, v, 10)
        oracle = np.sort(idx.chunk_vectors @ v)[::-1][9]
        found += int((got.scores[got.order] >= oracle - 1e-5).sum())
    assert found / (10 * len(questions)) >= 0.9


# ---------------------------------------------------------------- resumable embedding

def test_interrupted_embedding_resumes_with_only_the_missing_batches(tiny_root: Path, monkeypatch):
    monkeypatch.setattr(index_mod, "EMBED_BATCH", 2)
    s = _settings(tiny_root, chunk_tokens=20, chunk_overlap=5)
    with pytest.raises(KeyboardInterrupt):
        index_mod.build(s, CountingEmbedder(fail_after=2))
    assert not (s.index_path / "manifest.json").exists()  # nothing committed
    partial = list(s.index_path.glob(index_mod.PARTIAL + "chunks-*.npy"))
    assert len(partial) == 1
    with open(partial[0], "rb") as fh:  # a .npy header for the whole array, complete rows appended below it
        np.lib.format.read_magic(fh)
        shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
        assert shape[1] == 64 and dtype == np.float32
        assert (partial[0].stat().st_size - fh.tell()) == 2 * 2 * 64 * 4

    progress: list[tuple[str, int, int]] = []
    emb = CountingEmbedder()
    report = index_mod.build(s, emb, progress=lambda *a: progress.append(a))
    clean = CountingEmbedder()
    index_mod.build(s.with_(index_dir="clean"), clean)
    # Two batches of two chunk texts were kept from the interrupted run; everything else is embedded once.
    assert emb.calls == clean.calls - 2 and len(emb.embedded) == len(clean.embedded) - 4
    assert Counter(clean.embedded) - Counter(emb.embedded) == Counter(clean.embedded[:4])
    assert progress[0] == ("chunks", 4, progress[0][2])  # the bar starts where the last run stopped
    assert report.n_chunks == len(index_mod.load(s).chunks)
    assert report.n_embedded == len(clean.embedded) - 4  # what this run embedded, not what it resumed
    np.testing.assert_allclose(index_mod.load(s).chunk_vectors, index_mod.load(s.with_(index_dir="clean")).chunk_vectors)
    assert not list(s.index_path.glob(index_mod.PARTIAL + "*"))  # the commit removes the checkpoints


def test_checkpoint_of_other_work_is_not_reused(tiny_root: Path, monkeypatch):
    monkeypatch.setattr(index_mod, "EMBED_BATCH", 2)
    s = _settings(tiny_root, chunk_tokens=20, chunk_overlap=5)
    with pytest.raises(KeyboardInterrupt):
        index_mod.build(s, CountingEmbedder(fail_after=2))
    (tiny_root / "seeds" / "b.md").write_text("Something else entirely. Nothing in common here.\n", encoding="utf-8")
    emb = CountingEmbedder()
    index_mod.build(s, emb)
    ref = CountingEmbedder()
    index_mod.build(s.with_(index_dir="clean"), ref)
    assert emb.embedded and Counter(emb.embedded) == Counter(ref.embedded)  # the stale checkpoint gave nothing
    assert not list(s.index_path.glob(index_mod.PARTIAL + "*"))


def test_a_damaged_checkpoint_is_ignored(tiny_root: Path, monkeypatch):
    monkeypatch.setattr(index_mod, "EMBED_BATCH", 2)
    s = _settings(tiny_root, chunk_tokens=20, chunk_overlap=5)
    with pytest.raises(KeyboardInterrupt):
        index_mod.build(s, CountingEmbedder(fail_after=2))
    partial = next(s.index_path.glob(index_mod.PARTIAL + "chunks-*.npy"))
    partial.write_bytes(b"not a numpy file")
    index_mod.build(s, HashEmbedder(64))
    ref = s.with_(index_dir="clean")
    index_mod.build(ref, HashEmbedder(64))
    np.testing.assert_allclose(index_mod.load(s).chunk_vectors, index_mod.load(ref).chunk_vectors)


def test_identical_texts_are_embedded_once(tmp_path: Path):
    (tmp_path / "seeds").mkdir()
    body = "Talks resumed in Istanbul on Monday. Mediators from Qatar attended the meeting.\n"
    for name in ("a.txt", "b.txt"):
        (tmp_path / "seeds" / name).write_text(body, encoding="utf-8")
    emb = CountingEmbedder()
    index_mod.build(_settings(tmp_path), emb)
    idx = index_mod.load(_settings(tmp_path))
    assert len(idx.sentences) == 4
    sentence_calls = [t for t in emb.embedded if t in {x.text for x in idx.sentences}]
    assert len(sentence_calls) == 2
    np.testing.assert_allclose(idx.sentence_vectors[0], idx.sentence_vectors[2])


def test_manifest_without_vector_index_still_loads(tiny_settings: Settings):
    """Indexes written before the approximate index existed are exact and stay usable."""
    index_mod.build(tiny_settings, HashEmbedder(64))
    p = tiny_settings.index_path / "manifest.json"
    m = json.loads(p.read_text())
    del m["vector_index"]
    p.write_text(json.dumps(m))
    assert index_mod.load(tiny_settings).chunks
    assert index_mod.build(tiny_settings, HashEmbedder(64)).up_to_date
