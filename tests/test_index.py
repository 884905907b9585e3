"""The on-disk index: manifest, incremental rebuilds, atomic writes, integrity checks, retrieval oracles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from rag import index as index_mod
from rag.embedding import HashEmbedder
from rag.retrieval import dense_search, fuse, search, Ranking
from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


class CountingEmbedder(HashEmbedder):
    """The fake embedder, counting how many texts it embeds."""

    def __init__(self) -> None:
        super().__init__(64)
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded.extend(texts)
        return super().embed_documents(texts)


def test_build_writes_open_formats_and_manifest(tiny_settings: Settings):
    report = index_mod.build(tiny_settings, HashEmbedder(64))
    assert not report.up_to_date and report.n_chunks > 0
    m = json.loads((tiny_settings.index_path / "manifest.json").read_text())
    for key in ("format_version", "package_version", "embedder", "tokenizer_encoding", "chunking", "seeds",
                "chunk_count", "built_at", "files"):
        assert key in m
    assert m["embedder"]["dimension"] == 64 and m["embedder"]["weights_sha256"]
    assert {s["path"] for s in m["seeds"]} == {"seeds/a.txt", "seeds/b.md"}
    suffixes = {p.suffix for p in tiny_settings.index_path.rglob("*") if p.is_file()}
    assert suffixes <= {".json", ".jsonl", ".npy", ".faiss"}


def test_second_build_does_no_work(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    emb = CountingEmbedder()
    report = index_mod.build(tiny_settings, emb)
    assert report.up_to_date and emb.embedded == []


def test_changed_seed_reembeds_only_its_chunks(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    before = index_mod.load(tiny_settings)
    b_ids = {c.chunk_id for c in before.chunks if c.path.endswith("b.md")}
    a_file = tiny_settings.seeds_path / "a.txt"
    a_file.write_text(a_file.read_text() + "A new closing paragraph was added today.\n", encoding="utf-8")
    emb = CountingEmbedder()
    report = index_mod.build(tiny_settings, emb)
    assert not report.up_to_date
    after = index_mod.load(tiny_settings)
    assert b_ids <= {c.chunk_id for c in after.chunks}
    b_texts = {c.text for c in after.chunks if c.path.endswith("b.md")}
    assert not b_texts & set(emb.embedded)
    assert any("new closing paragraph" in t for t in emb.embedded)


def test_added_and_removed_seeds_are_picked_up(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    (tiny_settings.seeds_path / "c.txt").write_text("A third file. It talks about Doha.\n", encoding="utf-8")
    (tiny_settings.seeds_path / "b.md").unlink()
    index_mod.build(tiny_settings, HashEmbedder(64))
    paths = {c.path for c in index_mod.load(tiny_settings).chunks}
    assert paths == {"seeds/a.txt", "seeds/c.txt"}
    assert not list(tiny_settings.index_path.glob("*.tmp*"))


def test_staleness_is_detected(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    m = index_mod.read_manifest(tiny_settings.index_path)
    assert index_mod.staleness(m, tiny_settings, "hash-64") is None
    assert "embedder" in index_mod.staleness(m, tiny_settings, "other-model")
    (tiny_settings.seeds_path / "b.md").write_text("changed\n", encoding="utf-8")
    assert "seeds/b.md" in index_mod.staleness(m, tiny_settings, "hash-64")
    changed = Settings(root=tiny_settings.root, embedder="hash-64", chunk_tokens=99, chunk_overlap=10)
    assert "chunk settings" in index_mod.staleness(m, changed, "hash-64")


def test_interrupted_build_leaves_previous_index_usable(tiny_settings: Settings, monkeypatch):
    index_mod.build(tiny_settings, HashEmbedder(64))
    before = (tiny_settings.index_path / "manifest.json").read_text()
    files_before = sorted(p.name for p in tiny_settings.index_path.iterdir())
    (tiny_settings.seeds_path / "b.md").write_text("Changed text. Still two sentences.\n", encoding="utf-8")
    import faiss

    def boom(*a, **k):
        raise KeyboardInterrupt("killed while writing")

    monkeypatch.setattr(faiss, "write_index", boom)
    with pytest.raises(KeyboardInterrupt):
        index_mod.build(tiny_settings, HashEmbedder(64))
    monkeypatch.undo()
    assert (tiny_settings.index_path / "manifest.json").read_text() == before
    # Only the embedding checkpoints stay behind, for the next build to resume from.
    assert sorted(p.name for p in tiny_settings.index_path.iterdir()
                  if not p.name.startswith(index_mod.PARTIAL)) == files_before
    idx = index_mod.load(tiny_settings)
    assert any("Torkham" in c.text for c in idx.chunks)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_damaged_index_file_is_refused(tiny_settings: Settings, damage: str):
    index_mod.build(tiny_settings, HashEmbedder(64))
    target = next(tiny_settings.index_path.glob("*.chunk_vectors.npy"))
    data = target.read_bytes()
    if damage == "flip":
        target.write_bytes(data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:])
    elif damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    else:
        target.unlink()
    with pytest.raises(index_mod.IndexError_, match="rag index"):
        index_mod.load(tiny_settings)
    # A rebuild repairs it.
    index_mod.build(tiny_settings, HashEmbedder(64))
    assert index_mod.load(tiny_settings).chunks


def test_hand_edited_manifest_is_refused(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    p = tiny_settings.index_path / "manifest.json"
    m = json.loads(p.read_text())
    m["embedder"]["dimension"] = 32
    p.write_text(json.dumps(m))
    with pytest.raises(index_mod.IndexError_):
        index_mod.load(tiny_settings)
    p.write_text("{not json")
    with pytest.raises(index_mod.IndexError_, match="unreadable"):
        index_mod.load(tiny_settings)


def test_no_pickle_anywhere_in_the_code():
    pattern = re.compile(r"\bimport pickle\b|\bpickle\.load|allow_pickle\s*=\s*True|allow_dangerous_deserialization")
    for p in list((ROOT / "rag").rglob("*.py")) + list((ROOT / "ui").rglob("*.py")):
        assert not pattern.search(p.read_text(encoding="utf-8")), p


def test_dense_search_matches_brute_force(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    idx = index_mod.load(tiny_settings)
    q = HashEmbedder(64).embed_query("monitoring mechanism in Istanbul")
    got = dense_search(idx, q, 3)
    oracle = np.argsort(-(idx.chunk_vectors @ q), kind="stable")[:3]
    np.testing.assert_allclose(np.sort(got.scores[got.order]), np.sort((idx.chunk_vectors @ q)[oracle]), rtol=1e-5)


def test_score_fusion_weights_normalised_scores():
    a = Ranking(np.array([0, 1, 2]), np.array([0.9, 0.5, 0.1]))
    b = Ranking(np.array([2, 1]), np.array([np.nan, 9.0, 10.0]))
    fused = fuse([(a, 1.0), (b, 1.0)])
    # Normalised: a gives 1, .5, 0; b gives 0 to chunk 1 (its lowest), 1 to chunk 2, nothing to chunk 0.
    assert fused == pytest.approx({0: 1.0, 1: 0.5, 2: 1.0})
    fused = fuse([(a, 2.0), (b, 1.0)])
    assert max(fused, key=fused.get) == 0
    # A margin survives normalisation where reciprocal ranks would forget it: a clear winner in one
    # ranking beats a near-tie in the other.
    clear = Ranking(np.array([3, 4, 5]), np.array([0, 0, 0, 1.0, 0.1, 0.0]))
    flat = Ranking(np.array([4, 3, 5]), np.array([0, 0, 0, 0.99, 1.0, 0.0]))
    fused = fuse([(clear, 1.0), (flat, 1.0)])
    assert max(fused, key=fused.get) == 3
    assert fuse([(Ranking(np.array([7]), np.array([0.0] * 7 + [0.3])), 1.0)]) == {7: 1.0}


def test_first_hits_do_not_depend_on_top_k(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    idx = index_mod.load(tiny_settings)
    q = "Istanbul talks ceasefire monitoring"
    vec = HashEmbedder(64).embed_query(q)
    many = [h.chunk.chunk_id for h in search(idx, q, vec, top_k=8)]
    assert [h.chunk.chunk_id for h in search(idx, q, vec, top_k=3)] == many[:3]


def test_search_returns_ranked_unique_hits(tiny_settings: Settings):
    index_mod.build(tiny_settings, HashEmbedder(64))
    idx = index_mod.load(tiny_settings)
    q = "Torkham crossing closed"
    hits = search(idx, q, HashEmbedder(64).embed_query(q), top_k=3)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert "Torkham" in hits[0].chunk.text
    assert len({h.chunk.chunk_id for h in hits}) == len(hits)
    with pytest.raises(ValueError):
        search(idx, q, None, top_k=3, retriever="nope")
