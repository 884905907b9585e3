"""How an article introduces the people it quotes, so that a later mention by surname can be found by that
description: "Asif Durrani, a former Pakistani ambassador and special representative to Afghanistan, told Al
Jazeera …" makes a later "Durrani said" a sentence by "Islamabad's former special representative"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.text import PERSON_NOUNS

# "Name, a/an/the description," or "Name, the description said": the description names a person's role.
_APPOSITIVE = re.compile(r"\b((?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+),\s+((?:a|an|the)\s[^,;“”]{5,140}?)"
                         r"(?:,|\s+(?:said|says|told|tells|wrote|added)\b)")
_ROLE = re.compile(rf"\b(?:{PERSON_NOUNS})s?\b")
_NOT_NAMES = {"On", "In", "At", "However", "Historically", "The", "But", "And", "Meanwhile"}
_CAPITALISED = re.compile(r"[A-Z][\w’'-]+")


def introductions(sentences: Iterable[tuple[str, str]]) -> dict[str, dict[str, list[str]]]:
    """For each article (``doc_id``), each introduced person's surname and the descriptions given of them."""
    out: dict[str, dict[str, list[str]]] = {}
    for doc_id, text in sentences:
        for m in _APPOSITIVE.finditer(text):
            name, description = m.group(1), m.group(2)
            if name.split()[0] in _NOT_NAMES or not _ROLE.search(description):
                continue  # "On Friday, a suicide attack …", "Chaman, a town on the border"
            known = out.setdefault(doc_id, {}).setdefault(name.split()[-1], [])
            if description not in known:
                known.append(description)
    return out


def described(text: str, people: dict[str, list[str]]) -> list[str]:
    """The descriptions of the people ``text`` names (by surname) that ``text`` does not already hold."""
    words = set(_CAPITALISED.findall(text))
    return [d for surname, ds in people.items() if surname in words for d in ds if d not in text]
