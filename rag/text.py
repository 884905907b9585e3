"""Small text analysis used by answering and query rewriting: terms, question types, answer spans."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

WH_WORDS = {"who", "whom", "whose", "what", "when", "where", "which", "why", "how", "did", "does", "do", "is",
            "are", "was", "were", "has", "have", "had", "can", "could", "would", "will", "should"}
STOPWORDS = {
    "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "against", "between",
    "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out",
    "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "all", "any", "both",
    "each", "few", "more", "most", "other", "others", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
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
                "hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozens|dozen")
_DATE = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:st|nd|rd|th)?(?:-\d{{1,2}})?(?: of)? (?:{MONTHS})(?:,? \d{{4}})?)|"
    rf"(?:(?:{MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?(?:, \d{{4}})?)|"
    rf"(?:(?:early |late |last |next |on |in |since )?(?:{DAYS}))|(?:(?:in |since |until )?(?:{MONTHS})(?! \d{{1,2}}\b)(?: \d{{4}})?)|"
    rf"(?:(?:in |since )?(?:19|20)\d\d)|(?:(?:last|this|next) (?:week|month|year))|"
    rf"(?:(?:at |around |after |before |by |until )?(?:midnight|midday|noon|dawn|dusk|daybreak|nightfall))|"
    rf"(?:\d{{1,2}}(?:[:.]\d\d)? ?(?:am|pm|[ap]\.m|GMT|UTC))|(?:\d{{1,2}}:\d\d))\b"
)
_SCALE = "hundred|thousand|million|billion|trillion|dozen"
_NUMBER = re.compile(
    rf"(?:\b(?:at least|more than|nearly|about|around|some|over|up to|almost) )?"
    rf"(?:(?<![\w$£€])(?:\$|£|€|Rs\.? ?)?\d(?:[\d,.]*\d)?(?:\s?%|\s?(?:km|per ?cent|percent)\b|\s(?:{_SCALE})s?\b)?"
    rf"(?!\w)|\b(?:(?:half )?an? (?:{_SCALE})|(?:{NUMBER_WORDS})(?:[- ](?:{NUMBER_WORDS}))*)\b)",
    re.IGNORECASE,
)
# An organisation's name: capitalised words, also joined by "of", "the", "for", "and", "on" ("International
# Organization for Migration"); it starts and ends with a capitalised word.
_ORGSEQ = re.compile(r"\b[A-Z][\w’'-]*(?:(?:\s+(?:of|the|for|and|on))*\s+[A-Z][\w’'-]*)*")
_CAPSEQ = re.compile(r"\b(?:[A-Z][\w’'-]*|al-[A-Z][\w-]*|of|the|ur|bin|ul)(?:\s+(?:[A-Z][\w’'-]*|al-[A-Z][\w-]*|of|the|bin|ul|Ur))*")
_TITLE_WORDS = {"Minister", "Prime", "President", "Deputy", "Interior", "Defence", "Defense", "Foreign",
                "Spokesman", "Spokesperson", "General", "Marshal", "Field", "Chief", "Lieutenant", "Colonel",
                "Major", "Mullah", "Haji", "Ambassador", "Senior", "Secretary", "Commander", "Leader", "Sheikh",
                "Mr", "Ms", "Dr", "Army"}
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "But", "And", "However", "Meanwhile", "Since", "While", "After",
              "Before", "During", "When", "If", "As", "Both", "For", "Its", "His", "Her", "Their", "This", "That",
              "Separately", "Islamabad", "Kabul", "Pakistan", "Afghanistan", "Taliban", "Pakistani", "Afghan",
              "Doha", "Istanbul", "Turkiye", "Qatar", "India", "TTP", "Al", "Jazeera", "Sunday", "Monday",
              "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Last", "Yet", "Nonetheless", "Once",
              "Reuters", "AFP", "Turkiye", "Iran", "China", "Russia", "Saudi", "Khyber", "Pakhtunkhwa",
              "Balochistan", "Kashmir", "Islamic", "Muslim", "Indian", "Iranian", "Qatari", "Turkish", "US",
              "South", "North", "East", "West", "Asian", "Central", "Middle", "Western", "Eastern", "Gulf",
              "United", "States", "Tehreek-e-Taliban", "Tehrik-e-Taliban", "Khawarij", "Khwarij", "Fitna", "X"}
_PLACE_CUE = re.compile(r"\b(?:in|at|near|from|to|into|across|outside|inside|of)\s+((?:the\s+)?(?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+)*)")

_BASED = re.compile(r"\b([A-Z][a-z]+)-based\b")  # "the Taliban's *Kandahar*-based supreme leader"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def _stems(text: str) -> list[str]:
    out: list[str] = []
    tens = False  # the last term was a round number word, which a following unit joins ("thirty five")
    for tok in _TOKEN.findall(text):
        w = tok.lower().replace("’", "'").strip("'.,-")
        if w.endswith("'s"):
            w = w[:-2]
            if w in _capitals():  # "Islamabad's top diplomat" is Pakistan's
                out.extend(stem(x) for x in _capitals()[w].split())
                continue
        if w.startswith("ex-") and len(w) > 4:  # "ex-premier": former premier
            out.append(stem("former"))
            w = w[3:]
        if not w or w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        if w in _SMALL_NUMBERS:  # "thirty five" and "35" are one number
            value = _SMALL_NUMBERS[w]
            if tens and value < 10:
                out[-1] = str(int(out[-1]) + value)
            else:
                out.append(str(value))
            tens = value % 10 == 0
            continue
        tens = False
        out.append(stem(w))
    return out


_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
         "seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SMALL_NUMBERS = {**{w: i + 1 for i, w in enumerate(_UNITS)}, **{w: 20 + 10 * i for i, w in enumerate(_TENS)}}


def _number_spellings(text: str, stems: list[str]) -> list[str]:
    """The other spelling of each number under 100 in ``text`` (whose ``_stems`` are given): "35" -> "thirty
    five", "eleven" -> "11"."""
    digits = re.findall(r"\b\d+\b", text)
    out = [_UNITS[v - 1] if v < 20 else _TENS[v // 10 - 2] + (f" {_UNITS[v % 10 - 1]}" if v % 10 else "")
           for v in map(int, digits) if 0 < v < 100]
    return out + [n for n in stems if n.isdigit() and n not in digits]


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    from rag.lexicon import CAPITALS

    return CAPITALS


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    from rag.lexicon import DEMONYMS

    return frozenset(w for group in DEMONYMS for w in group)


@lru_cache(maxsize=1)
def _synonym_table() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    """Stemmed phrase -> its group's first phrase, stemmed (see rag.lexicon)."""
    from rag.lexicon import DEMONYMS, SPELLINGS, SYNONYMS

    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in SYNONYMS + DEMONYMS + SPELLINGS:
        canon = tuple(_stems(group[0]))
        for phrase in group:
            key = tuple(_stems(phrase))
            if key and (phrase == group[0] or not _lossy(phrase)):
                # the first phrase maps to itself, so that a shorter phrase inside it does not match
                table.setdefault(key, canon)
    return table, max(map(len, table))


def canonical(stems: list[str]) -> list[str]:
    """Stems with every synonym phrase replaced by its group's first phrase (longest phrase first)."""
    table, longest = _synonym_table()
    out: list[str] = []
    i = 0
    while i < len(stems):
        for n in range(min(longest, len(stems) - i), 0, -1):
            rep = table.get(tuple(stems[i:i + n]))
            if rep is not None:
                out.extend(rep)
                i += n
                break
        else:
            out.append(stems[i])
            i += 1
    return out


@lru_cache(maxsize=1)
def _synonym_groups() -> list[tuple[tuple[str, ...], list[tuple[str, ...]], str]]:
    from rag.lexicon import SYNONYMS

    return [(tuple(_stems(g[0])), [k for k in (tuple(_stems(p)) for p in g[1:] if not _lossy(p)) if k], g[0])
            for g in SYNONYMS]


def expansions(text: str) -> str:
    """For keyword search: the usual word for each synonym the text uses in its place ("truce" -> "ceasefire"),
    and the other spelling of its numbers ("35" -> "thirty five")."""
    seq = _stems(text)
    grams = {tuple(seq[i:i + n]) for n in (1, 2, 3) for i in range(len(seq) - n + 1)}
    swapped = sorted({w for w in _stems(_swap_phrases(text)) if w not in seq})
    return " ".join([word for canon, others, word in _synonym_groups()
                     if canon not in grams and any(k in grams for k in others)] + swapped +
                    _number_spellings(text, seq))


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words (stopwords and question words removed), synonyms unified."""
    return list(_terms(text))


@lru_cache(maxsize=100_000)
def _terms(text: str) -> tuple[str, ...]:
    # Cached: answering asks for the terms of the same question and the same sentences many times.
    return tuple(canonical(_stems(_swap_phrases(text))))


def _lossy(phrase: str) -> bool:
    """Whether stemming drops a word of a phrase ("at once", "walked *out*", "call *on*"): such a synonym is matched
    in the text as written, or "call" and "walked" alone would match it."""
    return len(_stems(phrase)) < len(phrase.split())


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation of literal names, longest first, so that a name wins over its own prefix."""
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The lossy synonym phrases (other than a group's first), and the group's first phrase for each."""
    from rag.lexicon import SYNONYMS

    table = {p.lower(): g[0] for g in SYNONYMS for p in g[1:] if _lossy(p)}
    pattern = re.compile(rf"\b(?:{_alternatives(table)})\b", re.I)
    return (pattern if table else None), table


def _swap_phrases(text: str) -> str:
    """The text with each lossy synonym phrase written as its group's first phrase ("at once" -> "immediately")."""
    pattern, table = _phrase_table()
    return pattern.sub(lambda m: table[m.group().lower()], text) if pattern else text


_ORG_WORDS = {"Commission", "Ministry", "Assembly", "Party", "Council", "Agency", "Centre", "Center", "Institute",
              "University", "Programme", "Program", "Group", "Committee", "Organisation", "Organization",
              "Reuters", "AFP", "AP", "Press", "News", "Associated", "Forces", "Army", "Government", "Office",
              "Department", "Bank", "Summit", "Nations", "Diary", "Chamber", "Province", "District", "Valley",
              # armed and political movements ("Pakistan Taliban", "Balochistan Liberation Army")
              "Taliban", "Movement", "Front", "Liberation", "League", "Brigade", "Jamaat", "Tehreek", "Tehrik"}
# Organisation-like words that also end a place's name ("the Tirah Valley"); the rest never do.
_NOT_PLACE_WORDS = _ORG_WORDS - {"Province", "District", "Valley"}
_GENERIC_HEADS = {"peopl", "person", "time", "number", "total", "money"}  # "how much money": "millions of dollars"
# Verbs that end a counted noun phrase without an -ed ("how many people *lost* their lives").
_COUNT_VERBS = frozenset("died did does do were was are is lost fled left fell took held made got saw came went met "
                         "fought struck shot hit hurt paid sent spent won became kept gave had have has".split())
_DURATION = re.compile(r"\b(?:\d[\d,.]*|" + NUMBER_WORDS + r"|a|an|several|few)[- ](?:hours?|days?|weeks?|months?|years?|decades?)\b", re.I)
_AGE = re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged \d{1,3}\b|\(\d{1,3}\)", re.I)


_WH = re.compile(r"\b(?:how|when|where|who|whom|whose|which|what)\b")
# A relative clause set off by commas, which the question's own wh-word follows.
_RELATIVE = re.compile(r"(?:who|whom|whose|which|where|when)\b[^,?]*,[^?]*"
                       r"\b(?:how|when|where|who|whom|whose|which|what)\b")
# A "when" that sets the scene ("When the analyst challenged …"), not one that asks ("When did …").
_SCENE = re.compile(r"when (?!(?:did|does|do|is|was|were|are|will|would|could|can|has|have|had|should|must)\b)")


@lru_cache(maxsize=4096)
def _wh_phrase(question: str) -> str:
    """The question from its first wh-word on, lower-cased: "According to the army, how many …" -> "how many …".

    Only the wh-word that opens a clause asks: in "Which outlet was founded by the analyst who said …" the
    answer is an outlet, and the later "who" belongs to a relative clause.
    """
    q = question.lower().strip()
    if name := re.match(r"name (?:the |a |an |both |all )?", q):
        return "which " + q[name.end():]  # "Name the lieutenant colonel who died …"
    found = list(_WH.finditer(q))
    # A wh-word that opens a clause: at the start ("On what date …"), or after a comma ("According to X, how …").
    # Not one that opens a relative clause set off by commas ("Ibraheem Bahiss, who told AFP …, is an analyst for
    # which organisation?").
    # Nor "when" opening a clause that sets the scene ("When the analyst challenged Pakistan …, how many …").
    found = [m for m in found if not (q[:m.start()].rstrip().endswith(",") and _RELATIVE.match(q, m.start())
                                      or m.start() == 0 and _SCENE.match(q) and _RELATIVE.match(q))]
    for m in found:
        before = q[:m.start()].rstrip()
        if not before or before.endswith((",", ":", ";")) or re.fullmatch(r"[a-z]+", before) and before in STOPWORDS:
            return q[m.start():]
    # Else an embedded "how many" ("The analyst who asked for proof said how many were injured?"), or the first.
    first = next((m for m in found if m.group() == "how"), found[0] if found else None)
    return q[first.start():] if first else q


# A broadcast, and a question about who hosts one: its presenter.
PROGRAMME = r"(?:programme|program|show|discussion|episode|podcast|series|documentary|debate|broadcast)\b"
HOSTED_SHOW = re.compile(rf"\bhost(?:s|ed|ing)?\b.*\b{PROGRAMME}|\b{PROGRAMME}.*\bhost(?:s|ed|ing)?\b", re.I)


@lru_cache(maxsize=4096)
def question_focus(question: str) -> tuple[str | None, frozenset[str]]:
    """The wanted answer type plus the stems a matching sentence must mention ("how many *soldiers*").

    Cached: answering asks it of the same question once per candidate sentence.
    """
    qtype = question_type(question)
    q = _wh_phrase(question)
    if re.match(r"how old\b|what age\b", q):
        return "age", frozenset()
    if re.match(r"how long\b|how many (hours|days|weeks|months|years)\b", q):
        # "How long is the border?" asks for a length; "how long did the talks last?" for a duration.
        # Only the main clause tells which: "along which the fighting *took* place" does not.
        m = re.match(r"how long (is|are|was|were) (the|its|their|this|that)\b", q)
        main = re.split(r"\b(?:which|that|where|who|when)\b", q[m.end():])[0] if m else ""
        if m and not re.search(r"\b(last|lasted|take|took|stay|stayed|since|visit|trip|ceasefire|truce|talks)\b", main):
            return "number", frozenset()
        return "duration", frozenset()
    # "How many of its own fighters …" counts fighters.
    q = re.sub(r"^(how (?:many|much)) of (?:the |its |their |his |her |our )?(?:own )?", r"\1 ", q)
    m = re.match(r"how (?:many|much)\s+((?:[a-z'’-]+\s+){0,2}[a-z'’-]+)", q)
    if qtype == "number" and m:
        words = m.group(1).split()
        head: list[str] = []
        for w in words:
            if w in STOPWORDS or w.endswith(("ed", "ing")) or w in _COUNT_VERBS:
                break
            head.append(w)
        # The counted noun is the plural ("how many Afghans face expulsion"), else the last word ("how many km").
        plural = [w for w in head if w.endswith("s") and not w.endswith("ss")]
        stems = frozenset(terms(plural[-1] if plural else head[-1])) if head else frozenset()
        return qtype, frozenset() if stems & _GENERIC_HEADS else stems
    return qtype, frozenset()


PERSON_NOUNS = ("official|minister|analyst|leader|person|spokes\\w+|commander|politician|lawmaker|legislator|"
                "presenter|journalist|envoy|diplomat|ambassador|general|chief|lecturer|fellow|speaker|premier|"
                "president|man|woman|expert|researcher|member|officer|guest|panell?ist|host|anchor|reporter|"
                "correspondent|editor|director|professor|scholar|activist|cleric|governor|senator|negotiator|"
                "mediator|representative|deputy|soldier|militant|fighter|commentator|columnist|author|writer|"
                "colonel|lieutenant|brigadier|captain|sergeant|charg\\w* d[’']affaires|head of (?:government|state)|"
                "head")
_ORG_NOUNS = ("group|organisation|organization|agency|broadcaster|party|militia|body|outlet|think tank|institute|"
              "institution|newspaper|channel|ministry|network|monitor|watchdog|commission|committee|council|"
              "outfit|faction|association|alliance|coalition|lobby|chamber|firm|company|news site|website")
# A building or institution: its name answers, not the city or country it is in.
_FACILITY_NOUNS = ("venue|building|hotel|academy|school|university|college|hospital|prison|jail|mosque|madrassa|"
                   "seminary|stadium|palace|airport|airbase|base|embassy|compound")
_FACILITY = re.compile(r"\b(?:Venue|Building|Hotel|Academy|School|University|College|Hospital|Prison|Jail|Mosque|"
                       r"Madrassa|Seminary|Stadium|Palace|Airport|Embassy|Compound|Centre|Center|Hall|House|Base|"
                       r"Camp)\b")
_PLACE_NOUNS = ("city|countr(?:y|ies)|town|province|district|region|area|capital|border|crossing|place|valley|spot|"
                "site|location|" + _FACILITY_NOUNS)
# Up to two words between "which" and its noun ("which senior Pakistani general"), not "what level *of* diplomat"
# and not across a verb ("what does an envoy's visit signify" does not ask for an envoy).
_MOD = r"(?:(?!of\b|(?:does|did|do|is|was|are|were|has|have|had|can|could|would|will|should)\b)[\w’'-]+ ){0,2}"


def _noun_head(phrase: str) -> tuple[str, str] | None:
    """The kind and the noun of what a noun phrase names: "the Pakistani *envoy*" (person, "envoy").

    In a compound the last noun is the head: "which Pakistani Foreign Ministry *spokesperson*" asks for a person.
    """
    kinds = (("person", rf"(?:ex-|then-|vice-|co-)?({PERSON_NOUNS})s?\b(?!\s+(?:names?|titles?|statements?|figures?|"
                        rf"estimates?|accounts?|sources?|channels?|visits?|positions?|line)\b)"),
             ("org", rf"({_ORG_NOUNS})s?\b"),
             # singular: a list of places ("which two provinces") often opens a sentence, uncued
             ("place", rf"({_PLACE_NOUNS})\b"))
    for kind, noun in kinds:
        m = re.match(rf"{_MOD}{noun}", phrase)
        if m:
            for k, n in kinds:
                head = re.match(rf"\s+{n}", phrase[m.end():])
                if k != kind and head:
                    return k, head.group(1)
            return kind, m.group(1)
    return None


def _kind_of_noun(phrase: str) -> str | None:
    """The answer type a noun phrase names: "the Pakistani *envoy*" a person, "the *party*" an organisation."""
    head = _noun_head(phrase)
    return head[0] if head else None


def asked_noun(question: str) -> str | None:
    """The noun a question asks for: "Who is the TTP *leader* …", "In which *district* …"."""
    m = re.match(r"(?:who|whom|which|what)\s+(?:(?:is|was|are|were)\s+)?(?:the\s+)?(?:names?\s+of\s+(?:the\s+)?)?(.*)",
                 _wh_phrase(question))
    head = _noun_head(m.group(1)) if m else None
    if head:
        return head[1]
    # "What *name* did Mujahid use for the government?", "What *label* did the army give them?"
    word = re.match(r"(?:what|which) (?:official |formal )?(name|term|label|word|title|nickname)s?\b",
                    _wh_phrase(question))
    return word.group(1) if word else None


def _named_kind(phrase: str) -> str:
    """What the name of ``phrase`` is: a person's, an organisation's, a building's ("the name of the hospital"), the
    one a boundary is called by ("the name of the frontier"), or some other capitalised name."""
    head = _noun_head(phrase)
    if head and head[0] == "place" and re.fullmatch(_FACILITY_NOUNS, head[1]):
        return "place"
    if re.match(r"(?:[\w’'-]+ ){0,2}(?:border|frontier|line|boundary)\b", phrase):
        return "called"  # "the name of the frontier": the name it is called by
    return head[0] if head and head[0] in ("person", "org") else "entity"


def question_type(question: str) -> str | None:
    """The kind of answer a question wants: number, date, term, called, ordinal, role, entity, person, org,
    country, language, place, or None."""
    # "Which is the sole nation …" asks as "which nation" does.
    q = re.sub(r"^which (?:is|was|are|were) (?:the|its|their) ", "which ", _wh_phrase(question))
    if re.match(r"how (many|much|long|far|old)\b|what (number|percentage|share|proportion)\b|what (?:[\w-]+ )?toll\b|"
                r"what (?:is|was|were|are) the (?:[\w-]+ )?(?:toll|value|amount|cost|number|total|size|figure|"
                r"price|sum|percentage|share)\b|what (?:exact |precise |approximate |total )?(?:dollar |monetary )?"
                r"(?:amount|sum|figure)\b", q):
        return "number"
    if re.match(r"when\b|(what|which) (?:exact |precise |specific )?(date|day|time|hour|month|year|deadline)\b|"
                r"how soon\b", q) or \
            re.search(r"\bsince when\b", question.lower()):
        return "date"
    if re.match(r"who (?:has |had |have )?(mediated|brokered|hosted|facilitated|backed|funded|supported|"
                r"recognised|recognized|sponsored|armed|trained|removed|ousted|toppled|overthrew|invaded|occupied|"
                r"claimed responsibility)\b", q) and not HOSTED_SHOW.search(q):
        return "entity"  # a country or an organisation as often as a person (who hosts a programme is a person)
    if _TERM_Q.search(question):
        return "term"  # "What label does the army give them?": a word or name someone used, quoted
    if re.match(r"what (?:is|was|are|were) (?:the |their |its )?[\w’'-]+(?: [\w’'-]+){0,8}? (?:called|known as)\b", q):
        return "called"  # "What is the frontier between them called …?": the name after "called"
    if re.search(r"\b(?:did|does|do|is|was)\b.*\brank\b|\branked\b|\b(?:sequence|order)\b", question.lower()) \
            and re.match(r"(?:what|which) (?:position|place|spot)\b|where\b", q):
        return "ordinal"  # "In what position did Pakistan rank among …": "fourth"
    if _ROLE_Q.match(q):
        return "role"  # "What post does he hold?": "Deputy Interior Minister"
    named = re.search(r"\bnames? of (?:the |its |his |her |their |this |that )?(?:two |three |four |\d+ )?(.*)", q)
    if named or re.match(r"what (is|was|are|were) the names?\b", q):
        # "the name of the envoy" is a person, "the name of the party" an organisation; the name of anything
        # else ("the border", "the government") is some capitalised name.
        return _named_kind(named.group(1)) if named else "person"
    owner = re.match(r"what (?:is|was|are|were) (?:the |that |this |his |her |their |its )?"
                     r"((?:[\w’'-]+ ){0,2}[\w-]+)['’]s? (?:full |real |first )?names?\b", q)
    if owner:  # "What is that leader's name?"
        return _named_kind(owner.group(1))
    if re.match(rf"(?:which|what) {_MOD}names?\b", q):
        return "entity"  # "what name is the group known by"
    if re.match(r"who\b|whom\b|whose\b", q):
        return "person"
    if re.match(r"(?:which|what) (?:[\w’'-]+ )?(?:countries|country|nations?)\b(?!['’])", q):
        return "country"  # "which countries appointed ambassadors" asks for countries, not ambassadors
    m = re.match(r"(?:which|what) (.*)", q)
    kind = _kind_of_noun(m.group(1)) if m else None
    if kind in ("person", "org"):
        return kind
    if _COUNTRY_Q.match(q):
        return "country"
    if re.match(r"(?:which|what) (?:[\w’'-]+ ){0,2}(?:countries|country|nations?)['’]", q):
        return "country"  # "which two countries' mediation": not a person or group of theirs (asked above)
    if re.match(rf"(which|what) {_MOD}languages?\b", q):
        return "language"
    part = re.search(r"\b(?:[Ww]hich|[Ww]hat) parts? of (?:the )?((?:[\w’'-]+ ){0,3}[\w’'-]+)", question)
    # "Into which two Pakistani areas …": places named after a preposition, as the question's is (without one,
    # "which two provinces" is as often answered by a list that opens a sentence, uncued).
    if re.search(r"\b(?:in|into|to|from|across|at)\s+which (?:two|three|four|five) (?:[\w’'-]+ ){0,2}?(?:areas|"
                 r"districts|provinces|cities|towns|regions|places|locations|valleys)\b", question, re.I):
        return "place"
    if re.match(r"where\b", q) or kind == "place" and q.startswith("which") or \
            re.match(r"what (city|town|province|district|region)\b", q) or \
            part and re.search(rf"\b[A-Z]|\b(?:{_PLACE_NOUNS})\b", part.group(1)):
        return "place"  # "in what part of Balochistan": a place within it
    return None


# A question about the word someone used for something ("What *label* did the army give …", "What *word* do official
# statements use …", "By what formal *title* did the spokesman refer to …").
_TERM_Q = re.compile(r"\bwhat (?:official |formal )?(?:name|label|term|word|phrase|nickname|title)s?\b.*?"
                     r"\b(?:did|does|do)\b", re.I)


# "Which country's minister …" asks for the minister, who may be named with a demonym ("Iranian").
_COUNTRY_Q = re.compile(r"\b(?:which|what) (?:[\w’'-]+ ){0,2}(?:country|countries|nations?|powers?|(?:arch)?rivals?|"
                        r"neighbou?rs?|all(?:y|ies))\b(?!['’])|"
                        r"\bwhich (?:[\w’'-]+ ){0,2}states\b(?!['’])")
# Everyday names of languages that ISO 639 spells otherwise ("Pushto", "Panjabi") or lists only in part 3.
_LANGUAGE_ALIASES = {"Pashto", "Dari", "Farsi", "Punjabi", "Balochi", "Baluchi", "Mandarin", "Cantonese", "Hindustani"}


@lru_cache(maxsize=1)
def _language_names() -> re.Pattern[str]:
    """Major languages' names: ISO 639-1 languages (pycountry) and everyday forms."""
    import pycountry

    names = set(_LANGUAGE_ALIASES)
    for lang in pycountry.languages:
        if hasattr(lang, "alpha_2"):
            names |= {n.strip() for n in re.split(r"[;,]", lang.name) if n.strip()[:1].isupper()}
    return re.compile(rf"\b(?:{_alternatives(names)})\b")


# Everyday names that the ISO list spells otherwise ("Russian Federation", "Türkiye", "United States").
_COUNTRY_ALIASES = {"Russia", "Turkey", "Turkiye", "Britain", "UK", "US", "USA", "America", "UAE", "Emirates",
                    "Vietnam", "Czech Republic", "Palestine", "Holland"}


@lru_cache(maxsize=1)
def _country_names() -> re.Pattern[str]:
    """Country names: pycountry's short, common and official names (also without accents) and everyday forms."""
    import unicodedata

    import pycountry

    names = set(_COUNTRY_ALIASES)
    for c in pycountry.countries:
        for v in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if v:
                v = v.split(",")[0].removeprefix("the ")
                names |= {v, unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode()}
    return re.compile(rf"\b(?:{_alternatives(n for n in names if n)})\b")


def _joined(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Outermost spans, with a list joined into one: "brokered by *Qatar and Turkiye*" names both mediators."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
        if out and b <= out[-1][1]:
            continue  # inside the previous span
        if out and a > out[-1][1] and re.fullmatch(r",? and |, ", sentence[out[-1][1]:a]):
            out[-1] = (out[-1][0], b)
        elif not out or a >= out[-1][1]:
            out.append((a, b))
    return out


def country_spans(sentence: str, qterms: set[str]) -> list[tuple[int, int]]:
    """Country names in a sentence that the question does not already name."""
    # "China, UAE and Uzbekistan" is one answer.
    return _joined(sentence, [m.span() for m in _country_names().finditer(sentence)
                              if not set(terms(m.group())) <= qterms])


_JOINERS = {"of", "the", "ur", "bin", "ul"}
_MONTH_NAMES = set(MONTHS.split("|"))
_DAY_NAMES = set(DAYS.split("|"))
_JOINER_CAPS = {"The", "A", "An", "But", "And", "However", "In", "On", "At", "He", "She", "They", "It"}


_NAME_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")


def question_names(question: str) -> list[str]:
    """The proper names a question mentions ("Paktika", "Khwaja Asif").

    Not its first word, months and days, short acronyms, hyphenated compounds ("Turkish-hosted"), or a lone
    nationality adjective ("a *French* news agency").
    """
    names = []
    for m in _NAME_RUN.finditer(question):
        words = m.group().split()
        if m.start() == 0:
            words = words[1:]
        words = [w for w in words if "-" not in w and w.strip("’'s") not in _MONTH_NAMES | _DAY_NAMES
                 and not (w.isupper() and len(w) <= 2)]
        if not words:
            continue
        nxt = re.match(r"\s+([a-z]+)", question[m.end():])
        if nxt and nxt.group(1) not in STOPWORDS and (len(words) == 1 and re.search(r"(?:an|ese|ish|ch|i)$", words[0])
                                                      or re.search(r"(?:ian|ean|ern|ese|ish)$", words[-1])):
            continue  # a people's adjective ("French news agency", "South Asian neighbours"), not a place
        names.append(" ".join(words))
    return names


def skeleton(word: str) -> str:
    """A name's consonants, for transliterated spellings ("Khwaja" and "Khawaja", "Muttaqi" and "Mutaqi")."""
    out = re.sub(r"[^a-z]|[aeiouyhw]", "", word.lower().removesuffix("’s").removesuffix("'s"))
    return re.sub(r"(.)\1+", r"\1", out)


_ROLE_NOUN = r"(?:leader|head|chief|commander|founder|emir)"
_ROLE = re.compile(rf"\bthe {_ROLE_NOUN} of (?:the )?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")
def role_nouns(text: str) -> set[str]:
    """The terms of the roles a sentence names a person by ("their intended target was *the leader* of the TTP"), or
    of a role noun alone ("head")."""
    if re.fullmatch(_ROLE_NOUN, text):
        return set(terms(text))
    return {t for m in _ROLE.finditer(text) for t in terms(m.group().split()[1])}


_PERSON_AFTER = re.compile(r"\s+(?:said|says|told|added|wrote|warned|noted|argued|posted|stressed)\b|"
                           rf",\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}(?:{PERSON_NOUNS})\b")


def _name_spans(sentence: str, qterms: set[str]) -> list[tuple[int, int]]:
    """Capitalised word runs that look like a person's name (titles kept, places and organisations not)."""
    spans = []
    for m in _CAPSEQ.finditer(sentence):
        # Word offsets inside the run; trim joiners, possessives and non-name words from the left.
        words = [(w.start() + m.start(), w.end() + m.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
        while words and (words[0][2] in _JOINERS or words[0][2] in _NOT_NAMES or words[0][2] in _MONTH_NAMES
                         or words[0][2].endswith(("’s", "'s"))):
            words = words[1:]
        while words and words[-1][2] in _JOINERS:
            words = words[:-1]
        if not words or any(w[2] in _ORG_WORDS or w[2].endswith(("’s", "'s")) for w in words):
            continue
        names = [w[2] for w in words if w[2] not in _TITLE_WORDS and w[2] not in _JOINERS]
        titled = len(names) < len(words)
        text = sentence[words[0][0]:words[-1][1]]
        # A name is two or more name words ("Haji Najib") or one after a title ("Prime Minister Sharif");
        # a lone capitalised word is more often a place or a group.
        # A lone surname is one when it speaks or is introduced as a person ("Baheer, the political analyst,").
        known = len(names) == 1 and not titled and _PERSON_AFTER.match(sentence, words[-1][1]) \
            and not _country_names().fullmatch(names[0]) and names[0].lower() not in _capitals()
        if (len(names) >= 2 or (names and titled) or known) and not any(n.endswith("stan") for n in names) \
                and not re.search(r"\b(?:in|at|from|near|across|into|inside|outside)\s+$", sentence[:words[0][0]]) \
                and not set(terms(" ".join(names))) <= qterms:  # "Foreign Minister Muttaqi" is Muttaqi
            spans.append((words[0][0], words[-1][1]))
    return spans


# The country before an office in a question ("Pakistan's interior minister", "which Indian minister").
_OWNER = re.compile(r"\b([A-Z][a-z]+)(?:['’]s)?\s+(?=(?:[A-Za-z-]+ ){0,2}(?i:minister|president|chief|spokes\w+|envoy|"
                    r"ambassador|commander|leader|official|diplomat|general|delegation|team|side|negotiators?)\b)")
# The country after an office ("the spokesperson for *Afghanistan's* Ministry of Defence").
_OWNED_BY = re.compile(r"\b(?i:spokes\w+|minister|chief|official|head)\s+(?:for|of)\s+(?:the\s+)?"
                       r"([A-Z][a-z]+)['’]s\s")
_GENERIC_PEOPLE = {"official", "person", "man", "woman", "member", "leader", "expert", "figure", "chief"}


def _other_office(sentence: str, a: int, b: int, question: str,
                  people: Mapping[str, frozenset[str]] | None = None) -> bool:
    """Whether the name at ``sentence[a:b]`` holds another office than the one asked about.

    "Afghanistan's *Deputy Interior Minister* Haji Najib" is neither Pakistan's interior minister nor any
    interior minister; "Araghchi", whom the articles introduce as Iran's, is not the Saudi foreign minister.
    """
    q = question.lower()
    title = sentence[a:b]
    # The reporter ("Reporting from Istanbul, Al Jazeera's Sinem Koseoglu said …") answers only about the reporting.
    if re.match(r"Reporting from [^,]+,\s+(?:[A-Z][\w ]*['’]s\s+)?$", sentence[:a]) \
            and not re.search(r"\b(?:report\w*|correspondent|journalist)\b", q):
        return True
    deputy = re.search(r"\b(?:Deputy|Vice|Assistant) ((?:[A-Z][a-z]+ ){1,2})", title)
    if deputy and deputy.group(1).strip().lower() in q and not re.search(r"\b(?:deputy|vice|assistant)\b", q):
        return True
    # Whose official: "Pakistan's interior minister", "which Indian minister" against "Afghanistan's Interior
    # Minister …" or "their Chinese counterpart Wang Yi".
    mine = {c for m in [*_OWNER.finditer(question), *_OWNED_BY.finditer(question)] for c in _sides(m.group(1))}
    before = re.search(r"([A-Z][a-z]+)(?:['’]s)?(?:,?\s+[a-z]+){0,4},?\s+$", sentence[:a])
    theirs = _sides(before.group(1)) if before else set()
    if not theirs:
        # "Pakistan’s ministry said … the country’s defence minister, Khawaja Asif": the nearest country before.
        near = _sides_named(sentence[max(0, a - 100):a])
        theirs = near[-1] if near else set(people.get(sentence[a:b].split()[-1], ())) if people else set()
    if mine and theirs and not mine & theirs:
        return True
    # Whose group: "the TTP leader" is not "al-Qaeda leader Ayman al-Zawahiri".
    group_role = r"(?:leader|chief|head|commander|spokes\w+|founder)"
    group = r"((?:(?:\w+-)?[A-Z][\w’'-]*\s+)?(?!(?:Which|What|Who|Whose|The|A|An)\b)(?:\w+-)?[A-Z][\w’'-]*)"
    asked_group = re.search(rf"\b{group}\s+{group_role}s?\b", question)
    held_group = re.search(rf"\b{group}\s+{group_role},?\s+$", sentence[:a])
    if asked_group and held_group and not set(terms(asked_group.group(1))) & set(terms(held_group.group(1))):
        return True
    # Which office: "which TTP commanders" are not "local police officer Zafar Khan".
    asked = {m.group(1) for m in re.finditer(rf"\b({PERSON_NOUNS})s?\b", _wh_phrase(question))}
    held = re.search(rf"\b({PERSON_NOUNS}),?\s+$", sentence[:a])
    if asked and held and not (asked | {held.group(1)}) & _GENERIC_PEOPLE:
        return not set(terms(" ".join(asked))) & set(terms(held.group(1)))
    return False


def _described(before: str, question: str) -> bool:
    """Whether a place is named after the description of the place the question asks within: "in *the
    southwestern province of* Balochistan" is not the answer to "where in the southwestern province …" (but is
    to "which southwestern province …")."""
    m = re.search(rf"\bthe\s+((?:[\w’'-]+\s+){{0,2}}({_PLACE_NOUNS}))\s+of\s+$", before)
    setting = m and re.search(rf"\b(?:in|within|of)\s+(?:the\s+|[A-Z]\w+['’]s\s+)((?:(?!which\b|what\b)[\w’'-]+\s+)"
                              rf"{{0,2}}{m.group(2)})\b", question)
    return bool(setting) and set(terms(m.group(1))) <= set(terms(setting.group(1)))


def _in_country(sentence: str, end: int) -> bool:
    """Whether a name ending at ``end`` is followed by its country, as places are ("Deoband, *India*")."""
    m = re.match(r",\s+((?:[A-Z][\w-]*\s?){1,3})(?![\w’'])", sentence[end:])
    return bool(m) and bool(_country_names().fullmatch(m.group(1).strip()))


_ACRONYM_Q = re.compile(r"\b(?:known by|goes by|uses|called by) (?:the |its )?(?:acronym|abbreviation|initials) "
                        r"([A-Z]{2,})\b")
_ROLE_Q = re.compile(r"what (?:government |official |ministerial |cabinet |political )?(?:post|position|title|office|"
                     r"role|job|portfolio)s? (?:does|did|do|is|was|has|had)\b")
_HONORIFICS = {"Haji", "Mullah", "Sheikh", "Maulana", "Mufti", "Syed", "Sardar"}  # part of a name, not a post
_NAMED_TITLES = {"Minister", "Spokesman", "Spokesperson", "President", "Commander", "Ambassador", "Envoy"}


def _org_spans(sentence: str, qterms: set[str]) -> list[tuple[int, int]]:
    """Named groups, agencies and bodies: capitalised runs with an organisation word, or acronyms."""
    spans = []
    for m in re.finditer(r"\b[A-Z]{2,}(?:[a-z]+)?(?:-[A-Z][\w]*)?\b", sentence):  # "ISPR", "TOLOnews"
        if m.group() not in {"US", "UN", "UAE", "GMT", "X"} and not set(terms(m.group())) <= qterms:
            spans.append(m.span())
    for m in _ORGSEQ.finditer(sentence):
        a, text = m.start(), m.group()
        if text.startswith("The "):  # "The Taliban administration" is not a name
            a, text = a + 4, text[4:]
        words = text.split()
        # A person's title and name end the group's: "Taliban | Foreign Minister Amir Khan Muttaqi".
        title = next((i for i, w in enumerate(words[:-1]) if w in _NAMED_TITLES), None)
        if title is not None:
            while title > 0 and words[title - 1] in _TITLE_WORDS:
                title -= 1
            words = words[:title]
            text = " ".join(words)
        if len(words) >= 2 and any(w in _ORG_WORDS for w in words) and not set(terms(text)) <= qterms:
            spans.append((a, a + len(text)))
    return sorted(set(spans))


_PEOPLE = set(canonical(["peopl", "person", "civilian", "soldier", "fighter", "resid", "offic", "member", "personnel",
                         "men", "women", "children", "child", "troop", "dead", "death", "casualti", "militari",
                         "polic", "worker", "afghan", "refuge", "migrant", "student", "famili"]))


# What happened to the people counted; reports give these counts side by side ("killed 58 and wounded 30").
_OUTCOMES = frozenset(terms("killed wounded arrested kidnapped"))
_KILLED = frozenset(terms("killed"))  # "how many soldiers did they lose": the dead
_LOST = re.compile(r"\b(?:lost|lose|losing)\b", re.I)
# A count of losses, which a count of the killed answers ("how many casualties", "what toll").
_LOSSES = re.compile(rf"{_LOST.pattern}|\b(?:casualt\w*|toll|loss(?:es)?|victims?|bod(?:y|ies)|massacre\w*)\b", re.I)
_UNIT_WORDS = frozenset(terms("km kilometres kilometers miles percent dollars rupees"))
_MONEY = re.compile(rf"[$£€]|\bRs\b|\b(?:{_SCALE})s?\b|\b(?:dollars|rupees|afghanis|euros|pounds)\b", re.I)
_MEASURE = re.compile(r"[%$£€]|\d\s?(?:km|per ?cent|percent)\b|\bRs\b")  # a number with a unit or currency
_DIGITS = re.compile(r"\d[\d,.]*")


def _outcome(sentence: str, start: int, end: int, reach: int = 4) -> str | None:
    """The outcome word nearest a number, within ``reach`` words either side ("*killed* seven and *wounded* 13")."""
    words = re.compile(r"[A-Za-z][\w’'-]*")
    before = words.findall(sentence[:start])[-reach:][::-1]
    after = words.findall(sentence[end:])[:reach]
    for d in range(reach):  # nearest first; after the number wins a tie ("killed and 30 *wounded*")
        for side in (after, before):
            t = terms(side[d])[:1] if d < len(side) else []
            if t and t[0] in _OUTCOMES:
                return t[0]
    return None


@lru_cache(maxsize=1)
def _nations() -> frozenset[str]:
    """The terms of the countries that have a demonym in the lexicon ("afghan" and "Afghanistan" are one)."""
    from rag.lexicon import DEMONYMS

    return frozenset(t for group in DEMONYMS for t in terms(group[0]))


def _counted_noun_ok(sentence: str, end: int, focus: frozenset[str], counted: set[str] = frozenset()) -> bool:
    """For "how many X": the words right after the number must name X ("two explosions" does not count people).

    ``counted`` holds the terms of the question's whole counted phrase ("how many *Pakistan Taliban fighters*").
    """
    # "two of whom were TTP commanders" counts commanders; "dozens of people", "a 1,640-mile border"
    rest = re.sub(r"^\s+of\s+(?:whom|them|those|these|which)\s+(?:were|was|are|is)\s+", " ", sentence[end:end + 80])
    if re.match(r"\s+of\s+(?:whom|them|those|these|which)\b", rest):
        return False  # "three of them said …": a part of something counted before
    rest = re.sub(r"^(?:\s+of\s+(?:the\s+)?|-)", " ", rest)
    phrase = []
    for m in re.finditer(r"[A-Za-z][\w’'-]*|[^\sA-Za-z]", rest):
        w = m.group().lower()
        if not w[0].isalpha() or w in STOPWORDS or w.endswith("ed") or w in {"were", "was", "are", "have", "had"}:
            break
        phrase.append(w)
        if len(phrase) == 3:
            break
    stems = set(terms(" ".join(phrase)))
    if not stems:
        return True  # "killed 24, including ...": the number stands alone
    mine, theirs = counted & _nations(), stems & _nations()
    if mine and theirs and not mine & theirs:
        return False  # "58 Pakistani soldiers" when asked how many Afghan soldiers
    if focus and stems & (_PEOPLE - focus) and not stems & focus:
        return False  # a count of other people: "eleven military personnel" when asked how many fighters
    # The counted thing is the question's focus, or other words of its counted phrase ("54 Pakistan Taliban" for
    # "how many Pakistan Taliban fighters"; not "two explosions" for "how many civilians … in the explosion").
    # With no known focus noun, words of the counted phrase do ("two drone attacks" for "how many drone strikes").
    return bool(stems & (focus or _PEOPLE)) or bool(focus and stems <= counted) or not focus and bool(stems & counted)


_PLACE_HEADS = {"district", "districts", "province", "provinces", "city", "town", "village", "valley", "region",
                "area", "areas", "agency", "capital", "crossing"}


def _adjective_use(sentence: str, end: int, words: list[str]) -> bool:
    """A lone capitalised word used as an adjective ("the *Afghan* border", "*Pakistani* forces")."""
    nxt = re.match(r" ([a-z][\w’'-]*)", sentence[end:])
    return len(words) == 1 and nxt is not None and nxt.group(1) not in STOPWORDS and nxt.group(1) not in _PLACE_HEADS


# A name set off by commas after its teller's description: "The Taliban administration's spokesman*, Zabihullah
# Mujahid,* said".
_APPOSITIVE = r"(?:,\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3},)?"
# Who a question asks the figure of ("how many did *the Taliban government* admit losing"), and who a
# sentence has say it ("…, *Pakistan's army* says").
_ASKED_SOURCE = re.compile(r"\b(?:did|does|do|has|have|had)\s+(.{2,60}?)\s+(?:say|admit|acknowledge|report|"
                           r"claim|confirm|announce|concede|put|give)\b", re.I)
_TOLD_SOURCE = re.compile(r"(?:^|[,;]\s+|\bwhile\s+)([A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}?)"
                          rf"{_APPOSITIVE}\s+(?:says|said|reported|"
                          r"claimed|announced|confirmed|stated)\b|\baccording to ([^,.]{2,50})|"
                          r"[,;]\s+(?:says|said)\s+(the\s+[\w’'-]+(?:\s+[\w’'-]+)?)[.;]|"
                          r"[,;]\s+(the\s+[\w’'-]+(?:\s+[\w’'-]+)?)\s+(?:says|said)[.,;]")


def _sides(text: str) -> set[str]:
    """The countries a phrase speaks for: "Pakistan's army", "Kabul", "the Taliban government" (Afghanistan)."""
    out: set[str] = set()
    for m in re.finditer(r"[A-Za-z]+", text):
        w = m.group()
        if w.lower() in _capitals():
            out |= set(terms(_capitals()[w.lower()]))
        elif w[0].isupper() and (_country_names().fullmatch(w) or w.lower() in _demonyms()):
            out |= set(terms(w))
        elif w == "Taliban" and not re.search(r"(?:Pakistan|Pakistani)\s+$", text[:m.start()]):
            out |= set(terms("Afghanistan"))  # the Afghan Taliban govern Afghanistan; the Pakistan Taliban do not
    return out


def people_sides(sentences: Iterable[str]) -> dict[str, frozenset[str]]:
    """The countries each person speaks for, by surname, as the articles introduce them: "*Pakistan’s* Deputy Prime
    Minister and Foreign Minister Ishaq Dar", "Zabihullah Mujahid, the *Taliban* spokesperson,"."""
    out: dict[str, set[str]] = {}
    given: dict[str, list[set[str]]] = {}  # the other words of the full names each surname is given with
    for sentence in sentences:
        for a, b in _name_spans(sentence, set()):
            *first, surname = sentence[a:b].split()
            if first := {skeleton(w) for w in first if w not in _TITLE_WORDS}:  # "Khwaja" is "Khawaja"
                given.setdefault(surname, []).append(first)
            title = re.split(r"[,;:“”\"(]", sentence[max(0, a - 60):a])[-1]
            named = _sides_named(title)
            role = re.match(r",\s+((?:the|a|an)\s+[^,;“”]{3,80}?),", sentence[b:])
            side = (named[-1] if named else set()) | (_sides(role.group(1)) if role else set())
            if side:
                out.setdefault(surname, set()).update(side)
    # A surname two people share ("Ihsanullah Tipu Mehsud", "Noor Wali Mehsud") tells no one's side.
    shared = {n for n, firsts in given.items() if any(not x & y for x in firsts for y in firsts)}
    return {name: frozenset(side) for name, side in out.items() if name not in shared}


def _sides_named(text: str) -> list[set[str]]:
    """The sides of the capitalised words of a text that speak for one ("Pakistani", "Kabul"), in order."""
    return [side for w in re.findall(r"[A-Z][a-z]+", text) if (side := _sides(w))]


def _other_side(sentence: str, question: str) -> bool:
    """Whether the sentence reports another side's figure than the one the question asks for."""
    asked = _ASKED_SOURCE.search(question)
    told = _TOLD_SOURCE.search(sentence)
    if not asked or not told:
        return False
    mine, theirs = _sides(asked.group(1)), _sides(next(g for g in told.groups() if g))
    if not theirs:
        # "Pakistani security forces have killed 33 fighters …, the military says": the side the sentence names first.
        named = _sides_named(sentence)
        theirs = named[0] if named else set()
    return bool(mine and theirs and not mine & theirs)


# The verbs of a question asking what someone said ("What did Asif *write* …", "How did Dar *characterise* …").
SAYING = "say|tell|warn|write|post|describe|call|claim|add|stress|argue|insist|predict|announce|characteri[sz]e"
# A question about who said something ("Which legislator described …", "Who warned …").
SPEECH = re.compile(r"\b(?:said|say|says|told|tell|described?|call(?:ed)?|warn(?:ed)?|accus(?:ed|e)|urg(?:ed|e)|"
                    r"stated?|announc(?:ed|e)|claim(?:ed)?|insist(?:ed)?|argu(?:ed|e)|not(?:ed|e)|add(?:ed)?|"
                    r"ask(?:ed)?|demand(?:ed)?|characteri[sz]ed?|dismiss(?:ed)?|den(?:ied|y)|blam(?:ed|e)|"
                    r"quot(?:ed|e)|describ\w*|speak\w*|spok\w+|comment\w*|wrote|write|post(?:ed)?|"
                    r"tweet(?:ed)?|judged?|believ\w+|predict\w*|express\w*|condemn\w*|prais\w+)\b", re.I)
# Who a question asks the words of ("How did *Islamabad's top diplomat* characterise …"), and who a sentence quotes
# ("…,” *Qatar's Foreign Ministry* announced").
_ASKED_SPEAKER = re.compile(rf"\b(?:did|does|do|has|have|had|would|will)\s+(.{{2,80}}?)\s+(?:{SAYING})\b", re.I)
_SPEAKER = re.compile(rf"([A-Z][\w’'-]*(?:\s+[\w’'-]+){{0,5}}?){_APPOSITIVE}"
                      r"\s+(?:had\s+|has\s+|also\s+)?(?:said|says|announced|"
                      r"told|stated|wrote|posted|added|warned|claimed|described|called|stressed|insisted)\b")


def other_speaker(sentence: str, question: str, source: str | None = None,
                  people: Mapping[str, frozenset[str]] | None = None) -> bool:
    """Whether the sentence quotes only another side than the one whose words the question asks for (or than
    ``source``, whose account it asks for). A person asked about by name ("How did *Dar* describe …") speaks for
    the side ``people`` gives them."""
    asked = _ASKED_SPEAKER.search(question) if source is None else None
    mine = _sides(asked.group(1)) if asked else _sides(source or "")
    if asked and not mine and people:
        mine = {side for w in re.findall(r"[A-Z][\w’'-]+", asked.group(1)) for side in people.get(w, ())}
    theirs = [_sides(m.group(1)) for m in _SPEAKER.finditer(sentence)]
    theirs = [t for t in theirs if t]
    return bool(mine and theirs and not any(mine & t for t in theirs))


# The first of several events a count question asks about ("the first raid", "the first of the two raids"). Only
# the first: a second is as often told as "a separate operation".
_FIRST_OF = re.compile(r"\bthe first\b(?! (?:time|quarter|half|three|six|nine|week|month|day)s?\b)", re.I)
# What people were killed or wounded in: "killed in *the explosion at the market*", "killed in *retaliatory attacks*".
_CASUALTY_IN = re.compile(r"\b(?:killed|died|dead|wounded|injured)\s+(?:in|during|by)\s+((?:[\w“”\"’'-]+\s+){0,4})")


def _other_event(sentence: str, question: str) -> bool:
    """Whether the sentence counts the casualties of another event than the one the question names."""
    asked, told = _CASUALTY_IN.search(question + " "), _CASUALTY_IN.search(sentence + " ")
    if not asked or not told:
        return False
    mine, theirs = set(terms(asked.group(1))), set(terms(told.group(1)))
    return bool(mine and theirs and not mine & theirs)


# A single month ("deported in September"), not a range of them ("in January to September").
_IN_MONTH = re.compile(rf"\b(?:in|during|since|by|until|month of|over|throughout)\s+({MONTHS})\b"
                       rf"(?!\s*(?:to|through|and|-|–)\s*(?:{MONTHS}))")


def months_named(text: str) -> frozenset[str]:
    """The months a text names, as their first three letters ("in April" -> {"apr"})."""
    return frozenset(m.lower()[:3] for m in re.findall(rf"\b(?:{MONTHS})\b", text))


_RELATIVE_YEAR = re.compile(r"\b(last|this|previous|past|current) year\b", re.I)
_YEAR_WORDS = {"previous": "last", "past": "last", "current": "this"}
_ON_DAY = re.compile(rf"\bon\s+(?:the\s+)?(?:({DAYS})\b|(?:{MONTHS})\s+\d{{1,2}}\b|"
                     rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b)")
# A stretch of time longer than a day: "last year", "in 2024", "since January 1".
_PERIOD = re.compile(rf"(?i:{_RELATIVE_YEAR.pattern}|\bin (?:19|20)\d\d\b)|\b[Ss]ince (?:{MONTHS})\b")


def _time_untold(text: str, question: str, months: frozenset[str] = frozenset()) -> bool:
    """Whether the question counts what happened in a month ("deported *in September*") that the text never names,
    on a day ("on Wednesday, October 15") that the text sets in a whole year ("Last year, 2,546 people …"), or in
    one year ("the previous year") that the text does not ("this year")."""
    asked = _IN_MONTH.search(question)
    told = months_named(text) | months
    if asked and told and asked.group(1)[:3].lower() not in told:
        return True  # (an undated text that names no month does not say)
    years = {_YEAR_WORDS.get(m.lower(), m.lower()) for m in _RELATIVE_YEAR.findall(question)}
    told_years = {_YEAR_WORDS.get(m.lower(), m.lower()) for m in _RELATIVE_YEAR.findall(text)}
    if years and told_years and not years & told_years:
        return True
    day = _ON_DAY.search(question)
    if not day:
        return False
    # "on Wednesday" is not "on Saturday night"; a day is not a year, nor the months since a date.
    told_days = {d.lower() for d in re.findall(rf"\b(?:{DAYS})\b", text)}
    return bool(day.group(1) and told_days and day.group(1).lower() not in told_days) or bool(_PERIOD.search(text))


# The participle of a passive question ("When was the deal *signed* …?"): the event whose date is asked.
_PASSIVE_EVENT = re.compile(r"\b(?:was|were|has been|have been|had been)\b(?:\s+[\w’'-]+){0,8}?\s+"
                            r"(?!(?:hundred|need|speed|seed|red|bed|called|named|dubbed|termed|described)\b)"
                            r"([a-z]{2,}ed)\b")  # (a name given describes; "what was called the bloodiest clash")
# A clause that dates the event asked about ("…, *before the ceasefire was agreed*") or describes who did it ("the
# premier *who had pushed for talks*"): its verb is not the event.
_SIDE_CLAUSE = re.compile(r",?\s+(?:before|after|until|since|once|while)\s+(?:[\w’'-]+\s+){0,6}?"
                          r"(?:was|were|had been|has been)\s+[a-z]+ed\b.*$|\b(?:who|which|that)\s+(?:had|has|have)\s+"
                          r"[a-z]+ed\b(?:\s+(?!was\b|were\b)[\w’'-]+){0,6}?(?=\s+[a-z]+ed\b)")


@lru_cache(maxsize=1024)
def _passive_event(question: str) -> list[str]:
    """The event a passive date question asks about ("When was the agreement *signed*?"), as a term: the participle
    with the words after it, which may make a phrase ("folded into": merged; "forced out of office": removed)."""
    main = _SIDE_CLAUSE.sub(" ", question)
    event = _PASSIVE_EVENT.search(main)
    return terms(" ".join(main[event.start(1):].split()[:5]))[:1] if event else []


def _families(*groups: str) -> dict[str, frozenset[str]]:
    """Each word of each group of words news uses for one thing, mapped to the stems of its whole group."""
    return {w: frozenset(terms(g)) for g in groups for w in g.split()}


# The verb of an active date question about how something began or ended, with the words news uses for it.
_EVENT_VERBS = _families("end ended conclude concluded finish finished close closed wrap",
                         "begin began start started open opened launch launched commence commenced kick",
                         "sign signed ink inked", "resume resumed restart", "reopen reopened",
                         "expire expired lapse lapsed", "collapse collapsed", "erupt erupted flare flared")
_BEGIN = _EVENT_VERBS["begin"]
_ACTIVE_EVENT = re.compile(rf"(?:when|(?:on )?(?:what|which) (?:date|day))\s+(?:did|does|do|will|would)\s+"
                           rf"(?:[\w’'-]+\s+){{1,12}}?({'|'.join(_EVENT_VERBS)})\b")


# The role a "who" question asks about ("Who *commanded* the troops?"), with the words news uses for it.
_ROLE_VERBS = _families("command commanded commands commanding commander commanders",
                        "found founded founder founders co-founded co-founder", "host hosted hosts hosting",
                        "preside presides presided presiding speaker",
                        "present presents presented presenting presenter")
# Only its verbs: in "Which senior *commander* …" the noun names who is asked, not the role they played.
_ROLE_VERB = re.compile(rf"(?:who,? |which (?:[\w’'-]+ ){{1,3}}?)(?:has |had |have )?"
                        rf"({'|'.join(w for w in _ROLE_VERBS if not w.endswith(('er', 'ers')))})\b")


@lru_cache(maxsize=1)
def _venues() -> re.Pattern[str]:
    from rag.lexicon import CITIES

    return re.compile(rf"\b({_alternatives(CITIES)})\b", re.I)


@lru_cache(maxsize=1)
def _hosts() -> tuple[frozenset[str], dict[str, str]]:
    """The countries that host talks, and the country of each of them and of each meeting city."""
    from rag.lexicon import CITY_COUNTRIES, HOST_COUNTRIES

    return frozenset(HOST_COUNTRIES), {**CITY_COUNTRIES, **HOST_COUNTRIES}


@lru_cache(maxsize=1)
def _meeting_places() -> re.Pattern[str]:
    """Cities, and the countries that host talks."""
    from rag.lexicon import CITIES

    return re.compile(rf"\b({_alternatives(CITIES | _hosts()[0])})\b", re.I)


_MEETING = r"(?:talks|negotiations|meeting|round|summit|discussions|conference)"


# "before the Istanbul talks" dates what the question asks about; it does not place it there. "The round *after*
# Istanbul" asks about the next meeting.
_AFTER = r"(?:after|following|followed)"
_TIME_REFERENCE = re.compile(rf"\b(?:before|{_AFTER}|ahead of|prior to|since|until|preceding)\s+(?:the\s+)?$", re.I)
# Only a meeting comes after a meeting: "the *round of talks* after Istanbul", not "in the days after the Doha talks".
_LATER_THAN = re.compile(rf"\b{_MEETING}\b(?:\s+[\w’'-]+){{0,4}}?\s+{_AFTER}\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=4096)
def _question_venues(question: str) -> tuple[frozenset[str], frozenset[str]]:
    """The cities (or host countries) a question names as a meeting's venue, and those of a meeting it asks about
    the one after ("the round of talks *after Istanbul*"). Cached: asked once per candidate sentence."""
    asked: set[str] = set()
    later: set[str] = set()
    for m in _meeting_places().finditer(question):
        city, before = m.group(1).lower(), question[:m.start()]
        if _LATER_THAN.search(before):
            later.add(city)
        elif not _TIME_REFERENCE.search(before) and (
                re.match(rf"\s+{_MEETING}\b", question[m.end():], re.I)
                or re.search(rf"\b{_MEETING}\s+(?:[\w’'-]+\s+){{0,3}}?(?:in|at)\s+$", before, re.I)):
            asked.add(city)
    return frozenset(asked), frozenset(later)


def other_venue(question: str, text: str) -> bool:
    """Whether ``text`` is set in another city than the meeting the question asks about.

    "Who led Pakistan's delegation at the Istanbul talks?" is not answered by a passage that follows "peace
    talks in Doha" and never names Istanbul. A city only counts as the question's venue when it names a
    meeting ("the Istanbul talks", "talks in Istanbul"): "Islamabad's envoy" is a government, not a venue.
    """
    asked, later = _question_venues(question)
    if not asked and not later:
        return False
    places = list(_meeting_places().finditer(text))
    named = {m.group(1).lower() for m in places}
    held = {m.group(1).lower() for m in places
            if re.search(r"\b(?:in|at)\s+(?:the\s+[A-Z][\w’'-]*\s+(?:capital,|city of)\s+)?$", text[:m.start()])}
    hosts, country = _hosts()
    if asked & hosts:  # "the talks hosted in Turkey": compare countries ("in Istanbul" is in Turkey)
        asked, held, named = ({country.get(c, c) for c in x} for x in (asked, held, named))
    else:  # a city asked: a country named is no other city
        held, named = held - hosts, named - hosts
    if later and held & later and not held - later:
        return True  # "the round after Istanbul" is not the Istanbul meeting
    return bool(asked) and bool(held - asked) and not asked & named


def typed_spans(sentence: str, question: str, before: str = "", months: frozenset[str] = frozenset(),
                people: Mapping[str, frozenset[str]] | None = None) -> list[tuple[int, int]]:
    """Answer spans of the wanted type in a sentence that mentions the question's focus noun.

    ``before`` is the sentence preceding it in the article, which may name the noun that this one leaves out
    ("Thirty fighters were killed in North Waziristan. Thirteen more were killed in South Waziristan").
    ``months`` are those the sentence's article was published in, which its counts may leave unsaid.
    ``people`` gives the side each person speaks for (``people_sides``), for a name the sentence gives no side.
    """
    qtype, focus = question_focus(question)
    # The focus may be part of a compound ("a three-*phase* plan") or named by the sentence before.
    if qtype is None or (focus and not focus & set(terms(sentence.replace("-", " ")))
                         and not focus & set(terms(before))):
        return []
    if qtype == "person":
        # "Who commanded the troops?" is not answered by whoever praised them: the sentence, or the one before
        # it, must tell of the role.
        role = _ROLE_VERB.match(_wh_phrase(question))
        if role:
            told = _ROLE_VERBS[role.group(1)]
            if HOSTED_SHOW.search(question):
                told = told | _ROLE_VERBS["present"]  # who hosts a programme presents it
            if not told & set(terms(f"{before} {sentence}")):
                return []
    if qtype == "number" and _FIRST_OF.search(question) and not re.search(r"\bfirst\b", sentence, re.I):
        return []  # "in the first of the two raids": not the sentence that counts both
    if qtype == "number" and (_other_side(sentence, question) or _other_event(sentence, question)
                              or _time_untold(f"{before} {sentence}", question, months)):
        return []
    if qtype == "date":
        # "When was the agreement *signed*?" is not answered by the date the talks began: the sentence, or the
        # one before it, must tell of the event asked about.
        verb = _passive_event(question)
        if verb and not set(verb) & set(terms(f"{before} {sentence}")):
            return []
        # Likewise "When did the talks *end*?": the date of an ending, not of the talks' start ("which began on
        # Saturday … to end the clashes"): next to the verb, or in a sentence after one that tells of it.
        event = _ACTIVE_EVENT.match(_wh_phrase(question))
        if event:
            verbs = _EVENT_VERBS[event.group(1)]
            at = [m.start() for m in _TOKEN.finditer(sentence) if set(terms(m.group())) & verbs]
            spans = answer_spans(sentence, qtype, question, people)
            if verbs & _BEGIN:
                # "Since November 2023, Islamabad has been carrying out …" tells when it began.
                since = [(a, b) for a, b in spans if re.search(r"\bsince\s+$", sentence[:a], re.I)
                         or sentence[a:b].lower().startswith("since ")]
                if since:
                    return since
            if at:
                return [(a, b) for a, b in spans if any(a - 40 <= p <= b + 40 for p in at)]
            return spans if verbs & set(terms(before)) else []
    return answer_spans(sentence, qtype, question, people)


def answer_spans(sentence: str, qtype: str | None, question: str,
                 people: Mapping[str, frozenset[str]] | None = None) -> list[tuple[int, int]]:
    """Candidate short-answer spans of the wanted type in a sentence (offsets into it)."""
    if qtype is None:
        return []
    qterms = set(terms(question)) | set(terms(question.replace("-", " ")))  # "Pakistan-Afghanistan" names both
    # "Which group, known by the acronym TTP, …" asks for the name the acronym stands for.
    if acronym := _ACRONYM_Q.search(question):
        qterms -= set(terms(acronym.group(1)))
    spans: list[tuple[int, int]] = []
    if qtype == "age":
        spans = [m.span() for m in _AGE.finditer(sentence)]
    elif qtype == "duration":
        spans = [m.span() for m in _DURATION.finditer(sentence)]
    elif qtype == "date":
        spans = [m.span() for m in _DATE.finditer(sentence)]
        prep = re.search(r"\b(until|till|since|before|after|by)\s+(?:what|which|when)\b", question, re.I)
        if prep:
            # "Until what date …" is answered by the date after "until", not by the day it was announced.
            p = prep.group(1).lower()
            same = [(a, b) for a, b in spans
                    if re.search(rf"\b{p}\s+$", sentence[:a], re.I) or sentence[a:b].lower().startswith(p + " ")]
            spans = same or spans
        # "On what date …" wants a day: "in April" or "in 2024" does not say which; "in what year" wants a year.
        unit = re.match(r"(?:on )?(?:what|which) (?:exact |precise |specific )?(date|day|month|year|time|hour)\b",
                        _wh_phrase(question))
        if unit and spans:
            need = {"date": rf"\b\d{{1,2}}(?:st|nd|rd|th)?\b|\b(?:{DAYS})\b", "month": rf"\b(?:{MONTHS})\b",
                    "year": r"\b(?:19|20)\d\d\b",  # "at what time": a clock time
                    "time": r"\d(?:[:.]\d\d)? ?(?:am|pm|[ap]\.m|GMT|UTC)\b|\d:\d\d|"
                            r"\b(?:midnight|midday|noon|dawn|dusk)\b"
                    }[unit.group(1).replace("day", "date").replace("hour", "time")]
            # The asked event's date is the one next to the event's words, not its names: in "In a statement on
            # Friday, Dar said … since his visit to Kabul in April", the visit's date is "in April" (no day).
            event = terms(" ".join(re.findall(r"\b[a-z][\w’'-]*", question)))
            a, b = best_span(sentence, spans, event)
            spans = [(a, b)] if re.search(need, sentence[a:b]) else []
    elif qtype == "number":
        _, focus = question_focus(question)
        counting = bool(re.search(r"\bhow many\b", question, re.I))
        # What is counted: "how many *Pakistan Taliban fighters*", not "the explosion" the question also names.
        phrase = re.search(r"\bhow many\s+((?:[\w’'-]+\s+){0,3})", question, re.I)
        counted = set(terms(phrase.group(1))) if phrase else set()
        dates = [m.span() for m in _DATE.finditer(sentence)]
        stated = set(_DIGITS.findall(question))  # "the clash in which 54 fighters were killed"
        # "What was the value of the trade?" wants a sum of money, not "the two sides".
        money = re.match(r"what (?:is|was|were|are) the (?:[\w-]+ )?(?:value|cost|price|worth|sum)\b|"
                         r"what (?:[\w-]+ )?(?:dollar|monetary) (?:amount|sum|figure|value)\b", _wh_phrase(question))
        # A value, a total or an exact amount is a figure: "millions of dollars" does not say how much (only "how
        # many" may be answered roughly: "tens of thousands").
        exact = money or re.search(r"\b(?:exact|precise|specific)\b", question, re.I) or \
            not re.match(r"how (?:many|much)\b", _wh_phrase(question))
        percent = re.match(r"what (?:percentage|proportion|percent)\b", _wh_phrase(question))
        change = re.search(r"\bby how much\b", question, re.I)
        for m in _NUMBER.finditer(sentence):
            text = m.group()
            if re.fullmatch(r"(19|20)\d\d", text) or any(a <= m.start() < b for a, b in dates) \
                    or set(_DIGITS.findall(text)) & stated \
                    or money and not _MONEY.search(sentence[m.start():m.end() + 12]):  # "$3bn", "3 million dollars"
                continue  # a year, part of a date, a number the question gives, or not a sum asked for
            if text.lower() == "one" and re.search(r"\b(?:the|this|that|each|every|any)\s+(?:[a-z]+\s+){0,2}$",
                                                   sentence[:m.start()], re.I):
                continue  # a pronoun: "the most recent *one* in December 2024"
            if exact and not re.search(r"\d|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|"
                                       r"\w+ty)\b", text, re.I):
                continue
            if percent and not re.search(r"%|\bper ?cent", text, re.I):
                continue  # "what proportion" wants a percentage, not "one of the deadliest years"
            if change and re.match(r"[\s-]*(?:quarters?|months?|weeks?|days?|years?|decades?)\b", sentence[m.end():]):
                continue  # "by how much did violence grow": a change, not "the first three quarters"
            if counting:
                # A count is a bare number: "2,640km" or "12%" does not say how many tanks.
                counts = bool(focus & _UNIT_WORDS) if _MEASURE.search(text) \
                    else _counted_noun_ok(sentence, m.end(), focus, counted)
                if not counts:
                    continue
            spans.append(m.span())
        # The outcome asked about is the main clause's ("how many were wounded in the clash *that killed* …").
        main = re.split(r"\b(?:that|which|who|whom|whose)\b", _wh_phrase(question)[4:])[0]
        asked = _OUTCOMES & set(terms(main)) or (_KILLED if _LOST.search(main) else set())
        told = _OUTCOMES & set(terms(sentence))
        if asked and told and not asked & told:
            spans = []  # asked how many were wounded; the sentence counts only the dead
        elif asked:  # "how many were wounded": not the number of dead next to it
            spans = [sp for sp in spans if _outcome(sentence, *sp) in asked | {None}]
        elif counting and not _OUTCOMES & set(terms(question)) and not _LOSSES.search(question):
            # "How many TTP fighters are based in Afghanistan?" is not answered by how many were killed.
            spans = [sp for sp in spans if _outcome(sentence, *sp, reach=1) is None]
    elif qtype == "org":
        spans = _org_spans(sentence, qterms)
    elif qtype == "entity":
        spans = _joined(sentence, sorted(
            set(_name_spans(sentence, qterms)) | set(_org_spans(sentence, qterms)) |
            {m.span() for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b", sentence)
             if m.start() > 0 and m.group().split()[0] not in _MONTH_NAMES | _DAY_NAMES | _JOINER_CAPS
             and not set(terms(m.group())) <= qterms}))
    elif qtype == "term":
        # The word or name used is quoted: “Fitna al-Khwarij”, a “regime”; or it is a name inside a longer quote
        # (“the consistent stance of the Islamic Emirate”).
        for m in re.finditer(r"“([^“”]{2,300})”", sentence):
            if len(m.group(1).split()) <= 4:
                found = [m.span(1)]
            else:
                found = [(m.start(1) + n.start(), m.start(1) + n.end()) for n in
                         re.finditer(r"(?<!^)\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+", m.group(1))]
            spans += [(a, b) for a, b in found if not set(terms(sentence[a:b])) <= qterms]
    elif qtype == "person":
        # Not a part of an organisation's or a country's name ("Centre for Research and *Security Studies*",
        # "the United *Arab Emirates*").
        orgs = _org_spans(sentence, set()) + country_spans(sentence, set())
        spans = [(a, b) for a, b in _name_spans(sentence, qterms) if not any(c < b and a < d for c, d in orgs)]
        spans = [(a, b) for a, b in spans if not _other_office(sentence, a, b, question, people)]
        # "…,” Bahiss said": a surname alone after a quote names who said it, which answers only who said it.
        if not SPEECH.search(question):
            spans = [(a, b) for a, b in spans if " " in sentence[a:b] or not (
                re.search(r"[”\"],?\s+$", sentence[:a]) and re.match(r"\s+(?:said|says|added)\b", sentence[b:]))]
        # Nor a name with its acronym ("Inter-Services Public Relations (ISPR)"), a photo credit
        # ("[Anushree Fadnavis/Reuters]") or a region of a country ("Uttar Pradesh, India").
        spans = [(a, b) for a, b in spans if not re.match(r"\s*\([A-Z]{2,}\)|/", sentence[b:])
                 and not re.search(r"\[[^\]]*$", sentence[:a]) and not _in_country(sentence, b)]
        # A person described by a role: "their intended target was the leader of the TTP" (not for "which TTP
        # chief …" or "what is the leader's name", which ask for a name).
        if not re.match(r"which |what .*\bnames?\b", _wh_phrase(question)):
            spans += [m.span() for m in _ROLE.finditer(sentence) if not any(c < m.end() and m.start() < d
                      for c, d in spans) and not set(terms(m.group())) <= qterms]
    elif qtype == "country":
        # A capital in the question names its country too ("Islamabad accuses which rival" is not Pakistan).
        capitals = {c for w in re.findall(r"[A-Za-z]+", question) for c in terms(_capitals().get(w.lower(), ""))}
        spans = country_spans(sentence, qterms | capitals)
    elif qtype == "language":
        spans = [m.span() for m in _language_names().finditer(sentence) if not set(terms(m.group())) <= qterms]
    elif qtype == "called":
        # The name after "called" ("their border, called *the Durand Line*"), or one a description follows ("*the
        # Inter-Services Public Relations* (ISPR), the military’s media wing").
        named = r"([A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|and|for))*\s+[A-Z][\w’'-]*|[A-Z][\w’'-]*)"
        after = re.finditer(rf"\b(?:called|known as|named|dubbed)\s+(?:the\s+)?{named}", sentence)
        before = re.finditer(rf"\b[Tt]he\s+{named}(?:\s+\([A-Z]{{2,}}\))?,\s+(?:the|a|an)\s", sentence)
        spans = [m.span(1) for m in (*after, *before) if not set(terms(m.group(1))) <= qterms]
    elif qtype == "ordinal":
        spans = [m.span() for m in re.finditer(r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                                               r"\d+(?:st|nd|rd|th))\b", sentence, re.I)]
    elif qtype == "role":
        # The title before a name ("*Deputy Interior Minister* Haji Najib") or the role after it ("Mohsin Naqvi,
        # *the interior minister*,").
        for a, b in _name_spans(sentence, set()):
            words = list(re.finditer(r"\S+", sentence[a:b]))
            title = list(itertools.takewhile(lambda w: w.group() in (_TITLE_WORDS | _JOINERS) - _HONORIFICS, words))
            if title and len(title) < len(words) and title[-1].group() not in _JOINERS:
                spans.append((a + title[0].start(), a + title[-1].end()))
            role = re.match(rf",\s+(?:the|a|an)\s+((?:[\w’'-]+\s+){{0,3}}(?:{PERSON_NOUNS}))\b", sentence[b:])
            if role:
                spans.append((b + role.start(1), b + role.end(1)))
    elif qtype == "place":
        # "Which district …" wants a district's name: "near the Afghan border" names none.
        wh = _wh_phrase(question)
        if re.match(rf"(?:which|what) (?:(?:is|was) the names? of (?:the )?)?{_MOD}(?:{_FACILITY_NOUNS})\b"
                    rf"(?!\s+(?:{_PLACE_NOUNS})\b)", wh):
            # "Which school …" wants the school's name ("the Army Public School"), not the city it is in.
            names = [(m.start(), m.start() + len(re.split(rf"\s+(?:on|and|of|for|the)\s+(?:{DAYS}|{MONTHS})\b", m.group())[0]))
                     for m in _ORGSEQ.finditer(sentence)]  # "the Sheraton Hotel *on Sunday*"
            return [(a, b) for a, b in names if _FACILITY.search(sentence[a:b])
                    and not set(terms(sentence[a:b])) <= qterms]
        named = re.search(r"\b(?:district|province|city|town|village|region|valley|crossing)\b", wh)
        # A district, valley or crossing is not a country's capital ("the capital, Kabul") nor a city ("Istanbul").
        no_capital = named and named.group() not in ("city", "town")
        for s, e in [m.span(1) for m in (*_PLACE_CUE.finditer(sentence), *_BASED.finditer(sentence))]:
            text = sentence[s:e]
            if text.startswith("the "):
                s += 4
            words = sentence[s:e].split()
            if not (set(terms(text)) <= qterms) and words[0] not in _MONTH_NAMES | _DAY_NAMES \
                    and not any(w in _NOT_PLACE_WORDS or w in _TITLE_WORDS for w in words) \
                    and not (named and (_adjective_use(sentence, e, words) or _country_names().fullmatch(text)
                                        or sentence[s:e].lower() in _demonyms())) \
                    and not (no_capital and (sentence[s:e].lower() in _capitals()
                                             or _venues().fullmatch(sentence[s:e]))) \
                    and not _described(sentence[:s], question):
                spans.append((s, e))
    spans = [(s, e) for s, e in spans if e > s and sentence[s:e].strip()
             and not (acronym and sentence[s:e] == acronym.group(1))]
    # "Which two countries …" is answered by a list of two ("Qatar and Saudi Arabia"), not by one name.
    if qtype in ("country", "entity", "org") and _GO_BETWEEN.search(_wh_phrase(question)):
        # Who mediated is a third party: not the sides that talked or agreed ("negotiations *between Pakistan and
        # Afghanistan*", "Afghanistan and Pakistan had agreed").
        spans = [(s, e) for s, e in spans if not _SIDES.search(sentence[:s]) and not _AGREED.match(sentence[e:])]
    many = re.match(r"(?:which|what) (two|three|four|five)\b", _wh_phrase(question))
    if many and qtype != "number":
        lists = [_list_around(sentence, s, e) for s, e in spans]
        return _joined(sentence, [(s, e) for s, e, n in lists if n >= _SMALL_NUMBERS[many.group(1)]])
    return spans


_GO_BETWEEN = re.compile(r"\b(?:mediat\w*|broker\w*|facilitat\w*|go-betweens?|intermediar\w*)")
_SIDES = re.compile(r"\bbetween\s+(?:the\s+)?$")
_AGREED = re.compile(r"(?:\s+(?:and|,)\s+[A-Z][\w’'-]*)*\s+(?:have|has|had)?\s*(?:agreed|signed)\b")
_LIST_ITEM = r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
_LIST_SEP = r",\s*(?:and\s+)?|\s+and\s+"


def _list_around(sentence: str, a: int, b: int) -> tuple[int, int, int]:
    """The list of names around ``sentence[a:b]`` ("*Qatar and* Turkiye"): its start, end and item count."""
    left = re.search(rf"(?:{_LIST_ITEM}(?:{_LIST_SEP}))*$", sentence[:a])
    right = re.match(rf"(?:(?:{_LIST_SEP}){_LIST_ITEM})*", sentence[b:])
    a, b = left.start(), b + right.end()
    return a, b, len(re.split(_LIST_SEP, sentence[a:b]))


def best_span(sentence: str, spans: list[tuple[int, int]], qterms: list[str], reach: int = 60) -> tuple[int, int]:
    """The candidate span with the most question words closest around it (within ``reach`` characters).

    In "… spokesperson Zabihullah Mujahid had said … Kabul's negotiating team, led by Defence Minister Mullah
    Muhammad Yaqoob, had arrived" the team's leader is the name among "negotiating team … arrived".
    """
    wanted = set(qterms)
    words = [(m.start(), t) for m in re.finditer(r"[A-Za-z][\w’'-]*|\d[\d,.]*", sentence) for t in terms(m.group())]

    def support(span: tuple[int, int]) -> float:
        a, b = span
        near: dict[str, int] = {}  # each question word, at its distance from the span
        for pos, t in words:
            d = a - pos if pos < a else pos - b
            if t in wanted and 0 <= d <= reach:
                near[t] = min(near.get(t, reach), d)
        return sum(1.0 - d / (reach + 1) for d in near.values())

    return max(spans, key=lambda sp: (support(sp), -sp[0]))
