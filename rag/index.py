"""The on-disk index: FAISS + BM25 + chunk and sentence stores + a checked manifest.

Every build writes a new generation of files, then replaces ``manifest.json`` atomically;
a build that dies half-way leaves the previous manifest, and so the previous index, intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag import __version__
from rag.chunking import chunk_corpus
from rag.embedding import Embedder
from rag.people import described, introductions
from rag.settings import Settings
from rag.sources import load_corpus, read_seed, relative_path, seed_files
from rag.types import Chunk, Document, Sentence

FORMAT_VERSION = 2  # 2: keyword search also holds how an article introduced the people a chunk names
MANIFEST = "manifest.json"
PARTIAL = ".partial-"  # prefix of embedding checkpoints of an interrupted build
EMBED_BATCH = 256  # texts per embedding call, and per checkpoint write
Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IndexError_(Exception):
    """An index that cannot be used as it is; the message is one line for the user."""


class StaleIndex(IndexError_):
    """The index was built from other seeds or settings than the current ones."""


@dataclass(frozen=True)
class DocMeta:
    doc_id: str
    path: str
    title: str
    date: str | None
    start: int
    end: int


@dataclass
class Index:
    """Everything retrieval and answering need, loaded in memory."""

    path: Path
    manifest: dict[str, Any]
    docs: dict[str, DocMeta]
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    faiss_index: Any
    bm25: Any

    sentence_faiss: Any = None

    def __post_init__(self) -> None:
        import faiss

        self.sentence_pos = {s.sent_id: i for i, s in enumerate(self.sentences)}
        # Which chunks hold each sentence (long sentences are split into pieces "<sent_id>.<n>").
        self.sentence_chunks: list[list[int]] = [[] for _ in self.sentences]
        for cp, c in enumerate(self.chunks):
            for sid in c.sent_ids:
                sp = self.sentence_pos.get(sid, self.sentence_pos.get(sid.rsplit(".", 1)[0], -1))
                if sp >= 0 and (not self.sentence_chunks[sp] or self.sentence_chunks[sp][-1] != cp):
                    self.sentence_chunks[sp].append(cp)
        if self.sentence_faiss is None:
            self.sentence_faiss = faiss.IndexFlatIP(self.sentence_vectors.shape[1])
            if len(self.sentence_vectors):
                self.sentence_faiss.add(np.ascontiguousarray(self.sentence_vectors, dtype=np.float32))


# ---------------------------------------------------------------- helpers

def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def bm25_texts(chunks: list[Chunk], sentences: list[Sentence]) -> list[str]:
    """Each chunk's text for keyword search, with how its article introduced the people it names by surname."""
    people = introductions((s.doc_id, s.text) for s in sentences)
    return [" ".join([c.text, *described(c.text, people.get(c.doc_id, {}))]) for c in chunks]


def tokenize_for_bm25(texts: list[str]):
    """Stemmed, stopword-free tokens as bm25s wants them (lists of strings)."""
    import bm25s

    return bm25s.tokenize(texts, lower=True, stopwords="en", stemmer=_stemmer(), return_ids=False,
                          show_progress=False, allow_empty=True)


_STEMMER = None


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


def _fingerprint_code() -> str:
    """Hash of the code that turns seeds into sentences and chunks: a change there means a rebuild."""
    from rag import chunking, sources

    h = hashlib.sha256()
    for mod in (sources, chunking):
        h.update(Path(mod.__file__).read_bytes())
    return h.hexdigest()[:16]


# Taken once, at import, so it describes the code this process actually runs.
SPLITTER_FINGERPRINT = _fingerprint_code()


def _settings_key(settings: Settings) -> dict[str, Any]:
    return {"chunk_tokens": settings.chunk_tokens, "chunk_overlap": settings.chunk_overlap,
            "encoding": settings.encoding, "splitter": SPLITTER_FINGERPRINT}


def current_seeds(settings: Settings) -> list[dict[str, str]]:
    """Path and sha256 of every seed file now on disk."""
    out = []
    for p in seed_files(settings.seeds_path):
        _, sha = read_seed(p)
        out.append({"path": relative_path(p, settings.root), "sha256": sha})
    return out


# ---------------------------------------------------------------- status

def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / MANIFEST
    if not path.exists():
        return None
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexError_(f"{path} is unreadable ({type(exc).__name__}); run 'rag index --rebuild'") from exc
    if not isinstance(m, dict):
        raise IndexError_(f"{path} is not a manifest; run 'rag index --rebuild'")
    return m


def staleness(manifest: dict[str, Any] | None, settings: Settings, embedder_name: str,
              weights: str | None = None) -> str | None:
    """Why the index does not match the seeds and settings, or None when it does."""
    if manifest is None:
        return "no index built yet"
    if manifest.get("format_version") != FORMAT_VERSION:
        return f"index format {manifest.get('format_version')} is not {FORMAT_VERSION}"
    emb = manifest.get("embedder", {})
    if emb.get("name") != embedder_name:
        return f"index was built with embedder {emb.get('name')!r}, not {embedder_name!r}"
    if weights is not None and emb.get("weights_sha256") != weights:
        return "the embedding model's weights changed since the index was built"
    if manifest.get("chunking") != _settings_key(settings):
        return "chunk settings or the text splitter changed since the index was built"
    old = {s["path"]: s["sha256"] for s in manifest.get("seeds", [])}
    new = {s["path"]: s["sha256"] for s in current_seeds(settings)}
    changed = sorted(set(old) ^ set(new) | {p for p in set(old) & set(new) if old[p] != new[p]})
    if changed:
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        return f"seed files changed since the index was built: {', '.join(changed[:3])}{more}"
    return None


# ---------------------------------------------------------------- build

@dataclass(frozen=True)
class BuildReport:
    up_to_date: bool
    n_docs: int
    n_chunks: int
    n_embedded: int  # chunks and sentences embedded anew (the rest reused)
    seconds: float
    reason: str | None = None


def build(settings: Settings, embedder: Embedder, *, force: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """Build or update the index; re-embeds only text that is not in the current index."""
    t0 = time.perf_counter()
    index_dir = settings.index_path
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        manifest = read_manifest(index_dir)
    except IndexError_:
        manifest = None
    reason = staleness(manifest, settings, embedder.name, embedder.weights_hash)
    if reason is None and manifest is not None and _vector_kinds(manifest) != _wanted_kinds(manifest, settings):
        reason = "vector index settings changed (ann_threshold)"  # all vectors are reused
    if reason is None and not force:
        try:
            verify_files(index_dir, manifest)  # type: ignore[arg-type]
            _tidy(index_dir, manifest["generation"])  # type: ignore[index]  # what a killed build left behind
            return BuildReport(True, len(manifest.get("docs", [])) if manifest else 0,  # type: ignore[union-attr]
                               manifest["chunk_count"], 0, time.perf_counter() - t0)  # type: ignore[index]
        except IndexError_ as exc:
            reason = str(exc)

    docs = load_corpus(settings.seeds_path, settings.root)
    chunks = chunk_corpus(docs, settings.chunk_tokens, settings.chunk_overlap, settings.encoding)
    sentences = [s for d in docs for s in d.sentences]

    # Reuse vectors of unchanged text from the previous index (same embedder only).
    old_chunk_vecs: dict[str, np.ndarray] = {}
    old_sent_vecs: dict[str, np.ndarray] = {}
    if manifest and not force and manifest.get("embedder", {}).get("weights_sha256") == embedder.weights_hash:
        try:
            old = load(settings, verify=True)
            old_chunk_vecs = {c.chunk_id: old.chunk_vectors[i] for i, c in enumerate(old.chunks)}
            old_sent_vecs = {_text_key(s.text): old.sentence_vectors[i] for i, s in enumerate(old.sentences)}
        except IndexError_:
            pass

    chunk_vecs, n1 = _embed_reusing([c.text for c in chunks], [c.chunk_id for c in chunks], old_chunk_vecs,
                                    embedder, "chunks", progress, index_dir)
    sent_vecs, n2 = _embed_reusing([s.text for s in sentences], [_text_key(s.text) for s in sentences],
                                   old_sent_vecs, embedder, "sentences", progress, index_dir)
    gen = _write_generation(settings, embedder, docs, chunks, chunk_vecs, sentences, sent_vecs)
    _tidy(index_dir, gen)  # the new manifest is committed: checkpoints and older generations can go
    return BuildReport(False, len(docs), len(chunks), n1 + n2, time.perf_counter() - t0, reason)


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _embed_reusing(texts: list[str], keys: list[str], cache: dict[str, np.ndarray], embedder: Embedder,
                   stage: str, progress: Progress | None, index_dir: Path) -> tuple[np.ndarray, int]:
    """Vectors for ``texts``: reused from ``cache`` by key, each distinct missing key embedded once."""
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    first: dict[str, int] = {}  # missing key -> first position with it
    for i, k in enumerate(keys):
        v = cache.get(k)
        if v is not None and v.shape == (embedder.dim,):
            out[i] = v
        else:
            first.setdefault(k, i)
    # Longest first, as sentence-transformers does inside one call: batches of similar length pad less.
    todo = sorted(first.values(), key=lambda i: (-len(texts[i]), i))
    vecs, resumed = _embed_checkpointed([texts[i] for i in todo], [keys[i] for i in todo], embedder, stage,
                                        progress, index_dir)
    row = {keys[i]: r for r, i in enumerate(todo)}
    for i, k in enumerate(keys):
        r = row.get(k)
        if r is not None:
            out[i] = vecs[r]
    return out, len(todo) - resumed


def _embed_checkpointed(texts: list[str], keys: list[str], embedder: Embedder, stage: str,
                        progress: Progress | None, index_dir: Path) -> tuple[np.ndarray, int]:
    """Embed in batches, appending each batch to a checkpoint ``.npy`` so an interrupted build resumes.

    The checkpoint is named by a hash of the embedder and the ordered key list, so it is reused only for
    exactly the same work; rows already in it are not embedded again (their count is returned). It is a
    cache, not part of the index: the manifest swap stays the commit point, and a successful build deletes it.
    """
    n, dim = len(texts), embedder.dim
    out = np.empty((n, dim), dtype=np.float32)
    if n == 0:
        if progress:
            progress(stage, 0, 0)
        return out, 0
    digest = hashlib.sha256("\n".join([stage, embedder.name, embedder.weights_hash, str(dim), *keys])
                            .encode("utf-8")).hexdigest()[:16]
    path = index_dir / f"{PARTIAL}{stage}-{digest}.npy"
    for other in index_dir.glob(f"{PARTIAL}{stage}-*.npy"):
        if other != path:
            other.unlink(missing_ok=True)  # a checkpoint of other work (the seeds changed since)
    done, offset = _read_checkpoint(path, out)
    resumed = done
    mode = "r+b" if offset else "wb"
    with open(path, mode) as fh:
        if not offset:
            np.lib.format.write_array_header_1_0(fh, {"descr": "<f4", "fortran_order": False, "shape": (n, dim)})
            offset = fh.tell()
        fh.seek(offset + done * dim * 4)
        fh.truncate()  # drop a half-written last row
        if progress:
            progress(stage, done, n)
        for b in range(done, n, EMBED_BATCH):
            v = np.ascontiguousarray(embedder.embed_documents(texts[b:b + EMBED_BATCH]), dtype=np.float32)
            out[b:b + len(v)] = v
            fh.write(v.tobytes())
            fh.flush()
            os.fsync(fh.fileno())
            if progress:
                progress(stage, b + len(v), n)
    return out, resumed


def _read_checkpoint(path: Path, out: np.ndarray) -> tuple[int, int]:
    """Copy the complete rows of a checkpoint into ``out``; return (rows, data offset), (0, 0) if unusable."""
    if not path.exists():
        return 0, 0
    try:
        with open(path, "rb") as fh:
            np.lib.format.read_magic(fh)
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            offset = fh.tell()
            if shape != out.shape or fortran or dtype != np.dtype("<f4"):
                return 0, 0
            rows = min((path.stat().st_size - offset) // (out.shape[1] * 4), out.shape[0])
            out[:rows] = np.fromfile(fh, dtype="<f4", count=rows * out.shape[1]).reshape(rows, out.shape[1])
            return int(rows), offset
    except (OSError, ValueError):
        return 0, 0


# ---------------------------------------------------------------- vector indexes

def wanted_kind(n: int, settings: Settings) -> str:
    """Exact search up to ``ann_threshold`` vectors, an IVF index above it."""
    return "ivf" if n > settings.ann_threshold else "flat"


def _vector_kinds(manifest: dict[str, Any]) -> dict[str, str]:
    vi = manifest.get("vector_index", {})
    return {part: vi.get(part, {}).get("kind", "flat") for part in ("chunks", "sentences")}


def _wanted_kinds(manifest: dict[str, Any], settings: Settings) -> dict[str, str]:
    return {"chunks": wanted_kind(int(manifest.get("chunk_count", 0)), settings),
            "sentences": wanted_kind(int(manifest.get("sentence_count", 0)), settings)}


def recall_at_k(found_scores: np.ndarray, exact_scores: np.ndarray) -> float:
    """Share of returned neighbours scoring at least the exact k-th best (ties count as found)."""
    k = exact_scores.shape[1]
    kth = exact_scores[:, -1:] - 1e-5
    return float(((found_scores >= kth) & np.isfinite(found_scores)).sum() / (k * len(exact_scores)))


def probe_texts(sentences: list[str], n: int = 200, seed: int = 0) -> list[str]:
    """Query-like texts for calibration: the first half of random sentences of the corpus.

    Measured on real vectors, these are harder for IVF than the eval questions are, so a probe count
    calibrated on them holds for questions with a margin.
    """
    import random

    long = [t for t in dict.fromkeys(sentences) if len(t.split()) >= 6]
    picked = random.Random(seed).sample(long, min(n, len(long)))
    return [" ".join(t.split()[:max(4, len(t.split()) // 2)]) for t in picked]


def calibration_queries(vectors: np.ndarray, n: int = 200, seed: int = 0) -> np.ndarray:
    """Query-like probes without a model: midpoints of random pairs of indexed vectors (near the data, never on it)."""
    rng = np.random.default_rng(seed)
    a = vectors[rng.integers(0, len(vectors), n)]
    b = vectors[rng.integers(0, len(vectors), n)]
    q = a + b
    return np.ascontiguousarray(q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12), dtype=np.float32)


def make_vector_index(vectors: np.ndarray, settings: Settings, queries: np.ndarray | None = None,
                      k: int = 10) -> tuple[Any, dict[str, Any]]:
    """An inner-product FAISS index over unit vectors, and what it is (kind, nlist, nprobe, recall@k).

    Above ``settings.ann_threshold`` vectors: IVF-Flat with about 4·√n lists; its probe count is the smallest
    whose recall@k against exact search reaches ``settings.ann_recall`` both on ``calibration_queries`` and
    on ``queries`` (the build passes embedded ``probe_texts``).
    IVF rather than HNSW: duplicated texts (captions, boilerplate) give duplicate vectors, which wall
    HNSW's graph into islands, while IVF lists just hold them.
    """
    import faiss

    x = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = x.shape
    if wanted_kind(n, settings) == "flat":
        fi = faiss.IndexFlatIP(dim)
        if n:
            fi.add(x)
        return fi, {"kind": "flat"}
    nlist = int(max(16, min(round(4 * np.sqrt(n)), n // 39)))  # FAISS wants >= 39 training points per list
    fi = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    fi.cp.max_points_per_centroid = 64  # a 64·nlist sample trains the lists well enough, in a fraction of the time
    fi.train(x)
    fi.add(x)
    # Which probes are hardest depends on the data (measured: half-sentences on real chunk vectors, midpoints
    # on noisy copies), so the probe count must reach the target on every family.
    probes = [calibration_queries(x)] + ([np.ascontiguousarray(queries, dtype=np.float32)] if queries is not None else [])
    exact = [faiss.knn(q, x, k, metric=faiss.METRIC_INNER_PRODUCT)[0] for q in probes]
    # Probe counts in steps of about sqrt(2): 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, …
    steps = sorted({min(nlist, int(b * m)) for b in (2 ** i for i in range(32)) for m in (1, 1.5)})
    recall = 0.0
    for nprobe in steps:
        fi.nprobe = nprobe
        recall = min(recall_at_k(fi.search(q, k)[0], e) for q, e in zip(probes, exact))
        if recall >= settings.ann_recall:
            break
    return fi, {"kind": "ivf", "nlist": nlist, "nprobe": int(fi.nprobe), f"calibrated_recall_at_{k}": round(recall, 4)}


def _write_generation(settings: Settings, embedder: Embedder, docs: list[Document], chunks: list[Chunk],
                      chunk_vecs: np.ndarray, sentences: list[Sentence], sent_vecs: np.ndarray) -> str:
    """Write a new generation of index files and commit it by replacing the manifest; returns its name."""
    import bm25s
    import faiss

    index_dir = settings.index_path
    gen = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    files: dict[str, str] = {}

    def name(kind: str) -> Path:
        files[kind] = f"{gen}.{kind}"
        return index_dir / files[kind]

    written: list[Path] = []
    try:
        _write_jsonl(p := name("docs.jsonl"), [asdict(DocMeta(d.doc_id, d.path, d.title, d.date, d.start, d.end))
                                               for d in docs]); written.append(p)
        _write_jsonl(p := name("chunks.jsonl"), [{**asdict(c), "sent_ids": list(c.sent_ids)} for c in chunks]); written.append(p)
        _write_jsonl(p := name("sentences.jsonl"), [asdict(s) for s in sentences]); written.append(p)
        np.save(p := name("chunk_vectors.npy"), chunk_vecs.astype(np.float32), allow_pickle=False); written.append(p)
        np.save(p := name("sentence_vectors.npy"), sent_vecs.astype(np.float32), allow_pickle=False); written.append(p)
        probes = None
        if "ivf" in (wanted_kind(len(chunk_vecs), settings), wanted_kind(len(sent_vecs), settings)):
            texts = probe_texts([s.text for s in sentences])
            probes = np.stack([embedder.embed_query(t) for t in texts]) if texts else None
        fi, chunk_kind = make_vector_index(chunk_vecs, settings, probes)
        faiss.write_index(fi, str(p := name("dense.faiss"))); written.append(p)
        # The exact sentence index is rebuilt at load in a blink; an approximate one is trained once, here.
        sentence_kind: dict[str, Any] = {"kind": "flat"}
        if wanted_kind(len(sent_vecs), settings) != "flat":
            sfi, sentence_kind = make_vector_index(sent_vecs, settings, probes)
            faiss.write_index(sfi, str(p := name("sentence.faiss"))); written.append(p)
        retriever = bm25s.BM25()
        retriever.index(tokenize_for_bm25(bm25_texts(chunks, sentences)), show_progress=False)
        bm25_dir = name("bm25")
        retriever.save(str(bm25_dir), allow_pickle=False); written.append(bm25_dir)
        for p in written:
            for f in ([p] if p.is_file() else sorted(p.iterdir())):
                with open(f, "rb+") as fh:
                    os.fsync(fh.fileno())
        manifest = {
            "format_version": FORMAT_VERSION,
            "package_version": __version__,
            "embedder": {"name": embedder.name, "weights_sha256": embedder.weights_hash, "dimension": embedder.dim},
            "tokenizer_encoding": settings.encoding,
            "chunking": _settings_key(settings),
            "seeds": [{"path": p, "sha256": s} for p, s in sorted({(d.path, d.sha256) for d in docs})],
            "docs": [d.doc_id for d in docs],
            "chunk_count": len(chunks),
            "sentence_count": len(sentences),
            "vector_index": {"chunks": chunk_kind, "sentences": sentence_kind},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "generation": gen,
            "files": {kind: {"name": fname, "sha256": _tree_sha(index_dir / fname)} for kind, fname in files.items()},
        }
        _atomic_write_text(index_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    except BaseException:
        for p in written:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        raise
    return gen


def _tree_sha(path: Path) -> str:
    if path.is_file():
        return _sha256_file(path)
    h = hashlib.sha256()
    for f in sorted(path.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(path).as_posix().encode() + b"\0" + _sha256_file(f).encode())
    return h.hexdigest()


def _tidy(index_dir: Path, keep: str) -> None:
    """Remove every file but the committed generation's: older generations, checkpoints, temporary files."""
    for p in index_dir.iterdir():
        if p.name == MANIFEST or p.name.startswith(keep + "."):
            continue
        if p.name.startswith((PARTIAL, ".tmp-")) or (p.name[:8].isdigit() and "T" in p.name[:16]):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


# ---------------------------------------------------------------- load

def verify_files(index_dir: Path, manifest: dict[str, Any]) -> None:
    """Raise IndexError_ if any index file is missing or differs from its manifest hash."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise IndexError_("manifest lists no index files; run 'rag index --rebuild'")
    for kind, meta in files.items():
        p = index_dir / meta["name"]
        if not p.exists():
            raise IndexError_(f"index file {p} is missing; run 'rag index --rebuild'")
        if _tree_sha(p) != meta["sha256"]:
            raise IndexError_(f"index file {p} is corrupt (checksum mismatch); run 'rag index --rebuild'")


def load(settings: Settings, *, verify: bool = True) -> Index:
    """Load and check the index; raises IndexError_ with a one-line message when unusable."""
    import bm25s
    import faiss

    index_dir = settings.index_path
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise StaleIndex(f"no index in {index_dir}; run 'rag index'")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StaleIndex(f"index format {manifest.get('format_version')} is not {FORMAT_VERSION}; run 'rag index --rebuild'")
    if verify:
        verify_files(index_dir, manifest)
    f = {k: index_dir / v["name"] for k, v in manifest["files"].items()}
    try:
        docs = {d["doc_id"]: DocMeta(**d) for d in _read_jsonl(f["docs.jsonl"])}
        chunks = [Chunk(**{**c, "sent_ids": tuple(c["sent_ids"])}) for c in _read_jsonl(f["chunks.jsonl"])]
        sentences = [Sentence(**s) for s in _read_jsonl(f["sentences.jsonl"])]
        cv = np.load(f["chunk_vectors.npy"], allow_pickle=False)
        sv = np.load(f["sentence_vectors.npy"], allow_pickle=False)
        fi = faiss.read_index(str(f["dense.faiss"]))
        sfi = faiss.read_index(str(f["sentence.faiss"])) if "sentence.faiss" in f else None
        bm = bm25s.BM25.load(str(f["bm25"]), allow_pickle=False)
    except (OSError, KeyError, TypeError, ValueError, RuntimeError, json.JSONDecodeError) as exc:
        raise IndexError_(f"index in {index_dir} is unreadable ({type(exc).__name__}); run 'rag index --rebuild'") from exc
    dim = manifest["embedder"]["dimension"]
    if cv.shape != (len(chunks), dim) or sv.shape != (len(sentences), dim) or fi.ntotal != len(chunks) or fi.d != dim:
        raise IndexError_(f"index in {index_dir} is inconsistent (vector shapes); run 'rag index --rebuild'")
    if len(chunks) != manifest.get("chunk_count"):
        raise IndexError_(f"index in {index_dir} is inconsistent (chunk count); run 'rag index --rebuild'")
    if sfi is not None and (sfi.ntotal != len(sentences) or sfi.d != dim):
        raise IndexError_(f"index in {index_dir} is inconsistent (sentence index); run 'rag index --rebuild'")
    return Index(index_dir, manifest, docs, chunks, cv, sentences, sv, fi, bm, sfi)
