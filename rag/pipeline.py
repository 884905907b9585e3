"""``ask()``: question in, cited answer out. The CLI, the UI and the eval runner all call this."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from rag import index as index_mod
from rag.answering import Answerer
from rag.embedding import Embedder, load_embedder
from rag.query import Rewrite, rewrite
from rag.retrieval import search
from rag.settings import MAX_QUESTION_CHARS, Settings
from rag.text import terms
from rag.types import Answer, Chunk, Citation, Hit, Sentence


@dataclass(frozen=True)
class Retrieval:
    """A cleaned question, its search query and the passages found: the input of both answer modes."""

    question: str
    history: tuple[str, ...]
    rewrite: Rewrite
    query_vec: np.ndarray
    hits: tuple[Hit, ...]
    seen: frozenset[tuple[str, int]]
    timings_ms: dict[str, float]
    started: float
    question_vec: np.ndarray | None = None  # the turn's own words, for judging sentences
    leaders: tuple[Chunk, ...] = ()  # the sentence-vector and BM25 rankings' best chunks, also judged


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
    # Recent first-turn answers, so a follow-up does not answer its previous turn a second time.
    _first_turns: OrderedDict[tuple[str, str, str], Answer] = field(default_factory=OrderedDict)
    _turns_lock: threading.Lock = field(default_factory=threading.Lock)

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

    def retrieve(self, question: str, history: tuple[str, ...] | list[str] = (), *, top_k: int | None = None,
                 retriever: str | None = None, resolve: bool = True) -> Retrieval:
        """Clean the question, rewrite a follow-up, and fetch the top passages."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        q = clean_question(question)
        hist = tuple(clean_question(h) for h in history if isinstance(h, str) and h.strip())
        s = self.settings
        k = s.top_k if top_k is None else top_k
        if not 1 <= k <= 100:
            raise QuestionError("top-k must be between 1 and 100")
        mode = retriever or s.retriever
        last, seen = None, frozenset()
        if hist and resolve:
            # The previous turn's answer resolves "he"/"his"; its sentences are old news for this turn.
            prev = self._previous_turn(hist[-1], hist[:-1], mode)
            last = None if prev.abstained else prev.short_answer
            seen = self.answerer.restated(frozenset((c.path, c.start) for c in prev.citations), hist[-1])
        rw = rewrite(q, hist, last)
        timings["rewrite"] = _ms(t0)
        t = time.perf_counter()
        # Answer selection compares sentences with the query vector, so even BM25-only retrieval embeds it.
        # A follow-up's sentences are judged on what this turn asks; the carried context only finds the passages.
        texts = [rw.query] if rw.query == rw.question else [rw.query, rw.question]
        vecs = self.get_embedder().embed_queries(texts)
        qvec, svec = vecs[0], vecs[-1]
        timings["embed"] = _ms(t)
        t = time.perf_counter()
        leaders: list[Chunk] = []
        hits = search(self.index, rw.query, qvec, top_k=k, retriever=mode, dense_weight=s.dense_weight,
                      sentence_weight=s.sentence_weight, bm25_weight=s.bm25_weight, leaders=leaders)
        timings["retrieve"] = _ms(t)
        return Retrieval(q, hist, rw, qvec, tuple(hits), seen, timings, t0, svec, tuple(leaders))

    def ask(self, question: str, history: tuple[str, ...] | list[str] = (), *, top_k: int | None = None,
            retriever: str | None = None, mode: str | None = None, _resolve: bool = True) -> Answer:
        """Answer ``question`` as the next turn after ``history`` (earlier questions, oldest first)."""
        r = self.retrieve(question, history, top_k=top_k, retriever=retriever, resolve=_resolve)
        mode = mode or self.settings.mode
        if mode == "generative":
            from rag.generation import generate_answer

            answer = generate_answer(self, r)
        elif mode == "extractive":
            answer = self.extractive(r)
        else:
            raise QuestionError(f"unknown answer mode {mode!r}; use extractive or generative")
        if not r.history and top_k in (None, self.settings.top_k):
            self._remember(r.question, retriever or self.settings.retriever, mode, answer)
        return answer

    def _previous_turn(self, question: str, history: tuple[str, ...], retriever: str) -> Answer:
        """The answer a follow-up builds on: remembered when the chat just asked it, else answered now."""
        mode = self.settings.mode
        if not history:
            with self._turns_lock:
                hit = self._first_turns.get((question, retriever, mode))
            if hit is not None:
                return hit
        return self.ask(question, history, retriever=retriever, _resolve=False)

    def _remember(self, question: str, retriever: str, mode: str, answer: Answer) -> None:
        with self._turns_lock:
            self._first_turns[(question, retriever, mode)] = answer
            self._first_turns.move_to_end((question, retriever, mode))
            while len(self._first_turns) > 256:
                self._first_turns.popitem(last=False)

    def extractive(self, r: Retrieval) -> Answer:
        """The best-supported source sentences, quoted and cited, or an abstention with related passages."""
        t = time.perf_counter()
        ranked = self.answerer.score(r.rewrite.resolved, terms(r.rewrite.context),
                                     r.query_vec if r.question_vec is None else r.question_vec, list(r.hits), r.seen,
                                     r.leaders, r.rewrite.named)
        limit, threshold = self.settings.max_answer_sentences, self.settings.abstain_threshold
        chosen = self.answerer.select([x for x in ranked if x.core], limit, r.rewrite.resolved, r.rewrite.named)
        if chosen and chosen[0].score >= threshold:
            deeper = self.answerer.select(ranked, limit, r.rewrite.resolved, r.rewrite.named)
            chosen = deeper if deeper and deeper[0].score >= threshold else chosen
        best = chosen[0].score if chosen else 0.0
        abstained = not chosen or best < threshold
        hits = self.answerer.rerank(r.hits, ranked, () if abstained else chosen) if self.settings.rerank else r.hits
        question = r.rewrite.resolved
        citations: list[Citation] = []
        related: list[Citation] = []
        short = None
        if abstained:
            # Closest passages, which do not answer: cited without a question, nothing in them is marked.
            related = [self.cite(i + 1, x.sentence, "") for i, x in enumerate(ranked[:3])]
            text = _abstention(r.question)
        else:
            citations = [self.cite(i + 1, x.sentence, question) for i, x in enumerate(chosen)]
            text = " ".join(f"{defuse_markers(c.quote)} [{c.n}]" for c in citations)
            lit = next((c for c in citations if c.highlight), None)
            short = self.file_text(lit.path)[lit.highlight[0]:lit.highlight[1]] if lit and lit.highlight else None
        timings = dict(r.timings_ms)
        timings["answer"] = _ms(t)
        timings["total"] = _ms(r.started)
        return Answer(r.question, text, tuple(citations), abstained, hits, "extractive", r.rewrite.query, short,
                      tuple(related), best, self.notice, timings)

    def cite(self, n: int, sentence: Sentence, question: str) -> Citation:
        """Citation ``[n]`` for a source sentence, checked against the file on disk."""
        path = self.index.docs[sentence.doc_id].path
        c = self.answerer.citation(n, sentence, question, self.file_text(path))
        # The contract every shell relies on: the quote is exactly the file's text at its offsets.
        if c.quote != sentence.text:
            raise index_mod.StaleIndex(f"{path} changed since it was indexed; run 'rag index'")
        return c


def defuse_markers(quote: str) -> str:
    """Bracketed numbers inside a document ("[3]") must never read as citation markers in an answer."""
    return re.sub(r"\[(\d+)\]", "［\\1］", quote)


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


__all__ = ["Engine", "QuestionError", "ask", "clean_question", "default_engine"]
