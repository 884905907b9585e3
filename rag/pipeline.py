"""``ask()``: question in, cited answer out. The CLI, the UI and the eval runner all call this."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rag import index as index_mod
from rag.answering import Answerer
from rag.embedding import Embedder, load_embedder
from rag.query import rewrite
from rag.retrieval import search
from rag.settings import MAX_QUESTION_CHARS, Settings
from rag.text import question_type, terms
from rag.types import Answer, Citation


class QuestionError(ValueError):
    """A question that cannot be asked as it is; the message is one line for the user."""


def clean_question(question: object) -> str:
    """Normalize a question; raise QuestionError for empty, over-long or non-text input."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is {len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,}")
    q = unicodedata.normalize("NFC", question)
    # Control and format characters (NUL, zero-width, bidi marks) carry no meaning for search.
    q = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in q)
    q = re.sub(r"\s+", " ", q).strip()
    if not q:
        raise QuestionError("the question is empty; type a question about the talks")
    return q


@dataclass
class Engine:
    """A loaded index plus the embedder, ready to answer questions."""

    settings: Settings
    embedder: Embedder | None = None
    notice: str | None = None
    _files: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            self.index = index_mod.load(self.settings)
            reason = index_mod.staleness(self.index.manifest, self.settings, self.settings.embedder)
        except index_mod.StaleIndex as exc:
            reason = str(exc)
        if reason:
            # A stale or missing index is rebuilt before any answer uses it.
            report = index_mod.build(self.settings, self.get_embedder())
            self.notice = f"index rebuilt ({reason})" if not report.up_to_date else None
            self.index = index_mod.load(self.settings)

    def get_embedder(self) -> Embedder:
        if self.embedder is None:
            self.embedder = load_embedder(self.settings.embedder, self.settings.embed_batch)
        return self.embedder

    @cached_property
    def answerer(self) -> Answerer:
        return Answerer(self.index)

    def file_text(self, path: str) -> str:
        if path not in self._files:
            p = Path(path)
            with open(p if p.is_absolute() else self.settings.root / p, encoding="utf-8") as fh:
                self._files[path] = fh.read()
        return self._files[path]

    def ask(self, question: str, history: tuple[str, ...] | list[str] = (), *, top_k: int | None = None,
            retriever: str | None = None, _resolve: bool = True) -> Answer:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        q = clean_question(question)
        hist = tuple(clean_question(h) for h in history if isinstance(h, str) and h.strip())
        s = self.settings
        k = top_k or s.top_k
        if k < 1 or k > 100:
            raise QuestionError("top-k must be between 1 and 100")

        last = None
        if hist and _resolve:
            prev = self.ask(hist[-1], hist[:-1], _resolve=False)
            last = None if prev.abstained else prev.short_answer
        rw = rewrite(q, hist, last)
        timings["rewrite"] = _ms(t0)

        t = time.perf_counter()
        mode = retriever or s.retriever
        qvec = self.get_embedder().embed_query(rw.query) if mode != "bm25" else None
        timings["embed"] = _ms(t)
        t = time.perf_counter()
        hits = search(self.index, rw.query, qvec, top_k=k, retriever=mode, rrf_k=s.rrf_k,
                      dense_weight=s.dense_weight, bm25_weight=s.bm25_weight)
        timings["retrieve"] = _ms(t)

        t = time.perf_counter()
        if qvec is None:
            qvec = self.get_embedder().embed_query(rw.query)
        resolved = rw.query[: len(rw.query) - len(rw.context)].strip() if rw.context else rw.query
        ranked = self.answerer.score(resolved, terms(rw.context), qvec, hits)
        best = ranked[0].score if ranked else 0.0
        abstained = not ranked or best < s.abstain_threshold
        citations: list[Citation] = []
        related: list[Citation] = []
        if abstained:
            related = [self._cite(i + 1, r.sentence, resolved) for i, r in enumerate(ranked[:3])]
            text = _abstention(q)
            short = None
        else:
            chosen = self.answerer.select(ranked, s.max_answer_sentences)
            citations = [self._cite(i + 1, r.sentence, resolved) for i, r in enumerate(chosen)]
            text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
            hl = citations[0].highlight
            short = self.file_text(citations[0].path)[hl[0]:hl[1]] if hl else None
        timings["answer"] = _ms(t)
        timings["total"] = _ms(t0)
        return Answer(q, text, tuple(citations), abstained, tuple(hits), "extractive", rw.query, short,
                      tuple(related), best, self.notice, timings)

    def _cite(self, n: int, sentence, question: str) -> Citation:
        c = self.answerer.citation(n, sentence, question, self.file_text(sentence_path(self, sentence)))
        # The contract every shell relies on: the quote is exactly the file's text at its offsets.
        assert self.file_text(c.path)[c.start:c.end] == c.quote
        return c


def sentence_path(engine: Engine, sentence) -> str:
    return engine.index.docs[sentence.doc_id].path


def _abstention(question: str) -> str:
    body = question.rstrip(" ?.!")
    first = body.split(" ", 1)[0].lower()
    if first in {"who", "what", "when", "where", "which", "why", "how", "whom", "whose"}:
        return f"The documents don't say {first}{body[len(first):]}."
    return f"The documents don't say: “{question}”"


def _ms(t: float) -> float:
    return (time.perf_counter() - t) * 1000.0


_ENGINE: Engine | None = None
_LOCK = threading.Lock()


def default_engine(settings: Settings | None = None) -> Engine:
    """The process-wide engine over the default index, loaded on first use."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None or (settings is not None and settings != _ENGINE.settings):
            _ENGINE = Engine(settings or Settings.from_env())
        return _ENGINE


def ask(question: str, history: tuple[str, ...] | list[str] = (), **options: object) -> Answer:
    """Answer ``question`` (the next turn after ``history``) from the default index."""
    return default_engine().ask(question, tuple(history), **options)  # type: ignore[arg-type]


__all__ = ["Engine", "QuestionError", "ask", "clean_question", "default_engine", "question_type"]
