"""Turn a follow-up question into a self-contained search query, without a language model."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text import PRONOUNS, STOPWORDS, terms

_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_ENTITY = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+|al-)?[A-Z][\w’'-]*)*")
_PERSONAL = {"he": "{}", "him": "{}", "she": "{}", "her": "{}'s", "his": "{}'s", "hers": "{}'s"}


@dataclass(frozen=True)
class Rewrite:
    """The question as asked, the query searched, and the carried-over context."""

    question: str
    query: str
    context: str = ""

    @property
    def resolved(self) -> str:
        """The question's own words (pronouns and all), without the carried-over context."""
        return self.question

    @property
    def named(self) -> str:
        """The question with its personal pronouns resolved ("How did *Ishaq Dar* describe …")."""
        return self.query.removesuffix(self.context).strip()


def _entities(text: str) -> list[str]:
    out = []
    for m in _ENTITY.finditer(text):
        words = [w for w in m.group().split() if w.lower() not in STOPWORDS]
        if words:
            out.append(" ".join(words))
    return out


def needs_context(question: str) -> bool:
    words = [w.lower() for w in _WORD.findall(question)]
    return any(w in PRONOUNS for w in words) or len(terms(question)) < 3 or \
        bool(re.search(r"\b(the|that|this|those|these) (agreement|deal|talks|meeting|delegation|group|attack|"
                       r"proposal|ceasefire|truce|statement|country|side|official|minister|analyst)\b", question, re.I))


def rewrite(question: str, history: tuple[str, ...] | list[str], last_answer: str | None = None) -> Rewrite:
    """Carry the previous turns' entities and keywords into ``question`` and resolve personal pronouns."""
    history = [h for h in history if h and h.strip()]
    if not history or not needs_context(question):
        return Rewrite(question, question)
    prev = history[-1]
    referent = last_answer or next((e for e in _entities(prev) if len(e.split()) >= 2), None)
    resolved = question
    if referent:
        def sub(m: re.Match[str]) -> str:
            return _PERSONAL[m.group(0).lower()].format(referent)
        resolved = re.sub(r"\b(?:he|him|his|she|her|hers)\b", sub, question, flags=re.IGNORECASE)
    have = set(terms(resolved))
    extra: list[str] = []
    for turn in reversed(history[-2:]):
        for w in _WORD.findall(turn):
            t = terms(w)
            if t and t[0] not in have and w.lower() not in STOPWORDS:
                have.add(t[0])
                extra.append(w)
    if referent and referent not in question:
        extra.insert(0, referent)
    context = " ".join(extra)
    query = f"{resolved} {context}".strip() if context else resolved
    return Rewrite(question, query, context)
