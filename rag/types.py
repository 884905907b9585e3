"""Domain types handed from one pipeline stage to the next."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; ``text == file_text[start:end]``."""

    sent_id: str
    doc_id: str
    start: int
    end: int
    text: str
    caption: bool = False


@dataclass(frozen=True)
class Document:
    """One article found in a seed file, with offsets into that file."""

    doc_id: str
    path: str  # relative to the repo root (or the seeds folder's parent)
    title: str
    date: str | None  # ISO date, when the text gives one
    start: int
    end: int
    sha256: str  # of the whole seed file
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences of one article.

    ``text`` is the chunk's sentences joined by a single space; every sentence is
    ``file_text[s.start:s.end]`` and the chunk spans ``file_text[start:end]``
    (which may also hold furniture lines between those sentences).
    """

    chunk_id: str
    doc_id: str
    path: str
    start: int
    end: int
    text: str
    n_tokens: int
    sent_ids: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused and per-retriever scores."""

    chunk: Chunk
    score: float
    rank: int
    dense_score: float | None = None
    bm25_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk.chunk_id,
            "score": round(float(self.score), 6),
            "path": self.chunk.path,
            "start": self.chunk.start,
            "end": self.chunk.end,
            "doc_id": self.chunk.doc_id,
            "dense_score": None if self.dense_score is None else round(float(self.dense_score), 6),
            "bm25_score": None if self.bm25_score is None else round(float(self.bm25_score), 6),
            "text": self.chunk.text,
        }


@dataclass(frozen=True)
class Citation:
    """A quoted source span: ``file_text[start:end] == quote``."""

    n: int
    doc_id: str
    title: str
    date: str | None
    path: str
    start: int
    end: int
    quote: str
    # Offsets of the short answer phrase inside the file, when one was identified.
    highlight: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["highlight"] = list(self.highlight) if self.highlight else None
        return d


@dataclass(frozen=True)
class Answer:
    """What ``ask()`` returns; ``to_dict()`` is the ``rag ask --json`` object."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    hits: tuple[Hit, ...]
    mode: str = "extractive"
    query: str = ""  # the search query actually used (rewritten for follow-ups)
    short_answer: str | None = None
    related: tuple[Citation, ...] = ()
    confidence: float = 0.0
    notice: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Generative mode: sentences the model wrote, how many were matched to a source sentence,
    # and the ones that were not (left out of ``text`` and never cited).
    generated_sentences: int = 0
    verified: int = 0
    unsupported: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "hits": [h.to_dict() for h in self.hits],
            "timings_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "query": self.query,
            "short_answer": self.short_answer,
            "related": [c.to_dict() for c in self.related],
            "confidence": round(float(self.confidence), 4),
            "notice": self.notice,
            "generated_sentences": self.generated_sentences,
            "verified": self.verified,
            "unsupported": list(self.unsupported),
        }
