"""Small text analysis used by answering and query rewriting: terms, question types, answer spans."""

from __future__ import annotations

import re
from functools import lru_cache

WH_WORDS = {"who", "whom", "whose", "what", "when", "where", "which", "why", "how", "did", "does", "do", "is",
            "are", "was", "were", "has", "have", "had", "can", "could", "would", "will", "should"}
STOPWORDS = {
    "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "against", "between",
    "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out",
    "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "all", "any", "both",
    "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
    "than", "too", "very", "s", "t", "just", "don", "now", "i", "me", "my", "we", "our", "you", "your", "he",
    "him", "his", "she", "her", "it", "its", "they", "them", "their", "this", "that", "these", "those", "am",
    "be", "been", "being", "having", "doing", "as", "until", "while", "also", "say", "said", "says", "tell",
    "according", "one", "two", "get", "got", "much", "many", "kind", "name", "named", "called",
} | WH_WORDS
PRONOUNS = {"he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "it", "its", "this",
            "that", "these", "those", "there", "then"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                "hundred|hundreds|thousand|thousands|million|millions|dozens|dozen")
_DATE = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:-\d{{1,2}})? (?:{MONTHS})(?: \d{{4}})?)|(?:(?:{MONTHS}) \d{{1,2}}(?:, \d{{4}})?)|"
    rf"(?:(?:early |late |last |next |on |in |since )?(?:{DAYS}))|(?:(?:in |since |until )?(?:{MONTHS})(?: \d{{4}})?)|"
    rf"(?:(?:in |since )?(?:19|20)\d\d)|(?:(?:last|this|next) (?:week|month|year))|(?:\d{{1,2}}(?:am|pm)))\b"
)
_NUMBER = re.compile(
    rf"\b(?:(?:at least|more than|nearly|about|around|some|over|up to|almost) )?"
    rf"(?:\d[\d,.]*(?:\s?(?:km|per ?cent|percent|%))?|(?:{NUMBER_WORDS})(?:[- ](?:{NUMBER_WORDS}))*)\b",
    re.IGNORECASE,
)
_CAPSEQ = re.compile(r"\b(?:[A-Z][\w’'-]*|al-[A-Z][\w-]*|of|the|ur|bin|ul)(?:\s+(?:[A-Z][\w’'-]*|al-[A-Z][\w-]*|of|the|bin|ul|Ur))*")
_TITLE_WORDS = {"Minister", "Prime", "President", "Deputy", "Interior", "Defence", "Defense", "Foreign",
                "Spokesman", "Spokesperson", "General", "Marshal", "Field", "Chief", "Lieutenant", "Colonel",
                "Major", "Mullah", "Haji", "Ambassador", "Senior", "Secretary", "Commander", "Leader", "Sheikh",
                "Mr", "Ms", "Dr", "Army"}
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "But", "And", "However", "Meanwhile", "Since", "While", "After",
              "Before", "During", "When", "If", "As", "Both", "For", "Its", "His", "Her", "Their", "This", "That",
              "Separately", "Islamabad", "Kabul", "Pakistan", "Afghanistan", "Taliban", "Pakistani", "Afghan",
              "Doha", "Istanbul", "Turkiye", "Qatar", "India", "TTP", "Al", "Jazeera", "Sunday", "Monday",
              "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Last", "Yet", "Nonetheless", "Once"}
_PLACE_CUE = re.compile(r"\b(?:in|at|near|from|to|into|across|outside|inside|of)\s+((?:the\s+)?(?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+)*)")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words (stopwords and question words removed)."""
    out = []
    for tok in _TOKEN.findall(text):
        w = tok.lower().replace("’", "'").strip("'.,-")
        if w.endswith("'s"):
            w = w[:-2]
        if not w or w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out


def question_type(question: str) -> str | None:
    """The kind of answer a question wants: person, date, number, place, or None."""
    q = question.lower().strip()
    if re.search(r"\bhow (many|much|long|far|old)\b|\bwhat (number|percentage|share|proportion)\b|\bwhat was the (death )?toll\b|\bby how\b", q):
        return "number"
    if re.search(r"\bwhen\b|\bwhat (date|day|time|month|year)\b|\bwhich (date|day|month|year)\b|\bsince when\b|\bhow soon\b", q):
        return "date"
    if re.search(r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (official|minister|analyst|leader|person|spokes\w+|group|organisation|organization|commander|politician|lawmaker|presenter|journalist|agency|broadcaster|think tank)\b|\bwhat is the name\b|\bname of\b", q):
        return "person"
    if re.search(r"\bwhere\b|\bwhich (city|country|countries|town|province|district|region|area|capital|border|crossing)\b|\bin what (city|country|town|province|district)\b", q):
        return "place"
    return None


def answer_spans(sentence: str, qtype: str | None, question: str) -> list[tuple[int, int]]:
    """Candidate short-answer spans of the wanted type in a sentence (offsets into it)."""
    if qtype is None:
        return []
    qterms = set(terms(question))
    spans: list[tuple[int, int]] = []
    if qtype == "date":
        spans = [m.span() for m in _DATE.finditer(sentence)]
    elif qtype == "number":
        spans = [m.span() for m in _NUMBER.finditer(sentence) if not re.fullmatch(r"(19|20)\d\d", m.group())]
    elif qtype == "person":
        for m in _CAPSEQ.finditer(sentence):
            s, e = m.span()
            words = m.group().split()
            while words and (words[0] in {"of", "the", "ur", "bin", "ul"} or words[0] in _NOT_NAMES):
                s += len(words[0]) + (len(m.group()[len(words[0]):]) - len(m.group()[len(words[0]):].lstrip()))
                words = words[1:]
                s = m.start() + m.group().find(" ".join(words)) if words else e
            while words and words[-1] in {"of", "the", "ur", "bin", "ul"}:
                words = words[:-1]
            if not words:
                continue
            text = " ".join(words)
            e = s + len(text)
            core = [w for w in words if w not in _TITLE_WORDS and w not in {"of", "the"}]
            if len(core) >= 1 and not (set(terms(text)) <= qterms) and (len(words) >= 2 or words[0] not in _NOT_NAMES):
                spans.append((s, e))
    elif qtype == "place":
        for m in _PLACE_CUE.finditer(sentence):
            s, e = m.span(1)
            text = sentence[s:e]
            if text.startswith("the "):
                s += 4
            if not (set(terms(text)) <= qterms) and sentence[s:e].split()[0] not in {"Sunday", "Monday", "Tuesday",
                                                                                  "Wednesday", "Thursday", "Friday", "Saturday"}:
                spans.append((s, e))
    return [(s, e) for s, e in spans if e > s and sentence[s:e].strip()]
