"""Extractive answers: pick the source sentences that best answer the question and cite them exactly."""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from rag.index import DocMeta, Index
from rag.people import described, introductions
from rag.text import (HOSTED_SHOW, PROGRAMME, SAYING, SPEECH, STOPWORDS, asked_noun, best_span, months_named,
                      other_speaker, other_venue, people_sides, question_focus, question_names, role_nouns, skeleton,
                      terms, typed_spans)
from rag.types import Chunk, Citation, Hit, Sentence

# Weights of the sentence score, tuned by hand on eval/questions.jsonl (a two-fold grid search found no
# setting that does better on the other half); `rag eval --calibrate` fits only the abstention threshold.
WEIGHTS = {"dense": 1.0, "lexical": 0.8, "context": 0.3, "type": 0.25, "retrieval": 0.2, "seen": -0.1,
           "verb": 0.3, "follows": 0.4, "aside": -0.4, "unsourced": -0.5, "label": 0.5}
# Ranges that measure the same: verb 0.3 to 0.4, follows 0.4 to 0.6, aside -0.4 to -0.5, unsourced -0.5 to -0.8,
# label 0.5 to 0.8.
MIN_WORDS = 3
# Sentences are judged from the top CORE_HITS passages. Those of the next ones, down to DEEP_HITS, may replace an
# answer found there, but never turn an abstention into an answer: a question whose top passages hold no answer
# is more often unanswerable than answered lower down.
CORE_HITS, DEEP_HITS = 6, 8
# A "who said …" answer cites only the speaker's sentence when it scores within this of the quote beside it
# (0.5 to 1 measure the same; at 0.35 four answers cite the quote too, which their writers did not).
SPEAKER_ALONE = 0.5
# A sentence beside the previous answer that holds this share of its question's words, and more than the answer
# does, was what that question asked about.
ABOUT = 0.3
RESTATES = 0.4  # a sentence holding 40% of the question's word weight restates it (0.3 to 0.4 measure the same)
_PRONOUN_SAID = re.compile(r"\b(?:he|she|they)\s+(?:said|added|told|says|warned|wrote|posted)\b", re.I)
_UNATTRIBUTED = re.compile(rf"^[“\"]|{_PRONOUN_SAID.pattern}", re.I)


_ASKS_WORDS = re.compile(rf"^(?:what|how)\b.*\b(?:did|does|do|has|have|had|would|will)\b.*\b(?:{SAYING})\b", re.I)
_REPORTS_WORDS = re.compile(r"[“”\"]|\b(?:said|says|say|told|tells|wrote|writes|posted|added|warned|warns|stated|"
                            r"stressed|argued|insisted|claimed|described|called|announced|according to|statement|"
                            r"predicted|urged|urging|saying|telling|noted|asserted|declared|signall?ed|signall?ing|"
                            r"indicated|expressed|confirmed|acknowledged|admitted|denied|rejected|demanded|proposed|"
                            r"suggested|pledged|vowed|promised)\b", re.I)


# A follow-up about what the previous answer reported ("On what date did he give *that warning*?"): the answer is
# in the sentences after it, which go on to quote the warning.
_BACK_REFERENCE = re.compile(r"\b(?:that|this|the same|those|these)\s+(?:warning|statement|call|remark|comment|threat|"
                             r"pledge|announcement|claim|appeal|message|speech|interview|post|demand|offer)s?\b|"
                             r"\b(?:say|said|write|wrote|post|posted|announce|announced|issue|issued|make|made)\s+"
                             r"(?:that|this|it)\s*\?", re.I)  # "On what date did he say that?"
_ALSO = re.compile(r"\b(?:also|as well)\b", re.I)  # a fact added to the event just told
_ADDED_REACH = 5  # how many sentences after a restatement of the question may add the asked fact
_QUOTE_REACH = 4  # how many sentences after the previous answer are followed, to the end of a quote
_MONTH_OR_YEAR = re.compile(r"\b(?:what|which) (?:month|year)\b", re.I)  # wants no day

# Whose account a question asks for ("*According to the defence minister's remarks in parliament*, how many …"),
# and the words that name the kind of account rather than whose it is.
_SOURCE = re.compile(r"^according to ([^,?]{3,80}),|,\s+according to ([^,?]{3,80})\?$", re.I)
_COUNT_TOLD_BY = re.compile(r"\bhow many\b.*?\b(?:did|does|do|has|have|had)\s+((?:the |[A-Z])[^,?]{3,60}?)\s+"
                            r"(?:say|tell|claim|estimate|put)\b", re.I)
_GENERIC_SOURCE = frozenset(terms("remarks comments statement statements post posts figures data account report "
                                  "words view estimate estimates analysis article piece opinion column author writer "
                                  "commentary editorial essay"))  # the last ones: the article itself
_ARTICLE_SOURCE = re.compile(r"(?:the|an|this|that) (?:analysis|article|piece|report|opinion|column|commentary|"
                             r"editorial|essay|explainer) (?:of|on|about)\b", re.I)
_ATTRIBUTES = re.compile(rf"{_REPORTS_WORDS.pattern}|\breport(?:ed|s|ing)?\b", re.I)  # a sentence giving an account


# The verb an open question asks the object of ("What did Dar hope the decision would *strengthen*?"): the
# answer is what the sentence says after it, while the sentence before may only restate the question's setting.
_MODAL = re.compile(r"\b(?:would|will|could|should|might|may|can|must)\s+")


def asked_verb(question: str) -> str | None:
    """The verb after the question's modal, past an inverted subject ("how would *the TTP* adapt")."""
    m = _MODAL.search(question)
    if not m or re.search(r"\b(?:when|while|after|before|if|as|because|since|unless)\b",
                          question[:m.start()].rsplit(",", 1)[-1], re.I):
        return None  # a modal of the question's setting ("… when insisting Afghan territory would not be turned …")
    # The verb ends the clause's first stretch: "would *the Pakistani militant group* probably adapt if …".
    clause = re.split(r"[,;?]|\b(?:if|when|after|before|to|in|on|at|by|with|against|for|from|of|under|during|over|"
                      r"amid|despite|while|as|because|once|unless|so)\b",
                      question[m.end():])[0]
    words = [w for w in re.findall(r"[\w’'-]+", clause)[:8] if w[0].islower() and len(w) >= 3
             and w not in STOPWORDS and w not in {"not", "still"} and not w.endswith("ly")]  # "probably", "immediately"
    return words[-1] if words else None


_DAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)")  # a day of the month in a date ("19th April", "October 8")


# Asking someone to act ("call on", "urge", "press") and the act asked ("urging the government “to uphold …”").
_URGED = re.compile(r"\b(?:call(?:s|ed|ing)? (?:on|upon)|urg(?:e|es|ed|ing)|press(?:es|ed|ing)?|ask(?:s|ed|ing)?|"
                    r"demand(?:s|ed|ing)?|appeal(?:s|ed|ing)? to)\b", re.I)
_URGED_TO = re.compile(rf"{_URGED.pattern}[^.;]*?\bto\s+(?!be\b|have\b)[a-z]{{3,}}", re.I)


def _act_asked(question: str) -> re.Pattern[str] | None:
    """What a sentence says when it answers a question about an act: "… say Kabul *must do*?" is answered by what
    "must" be done; "What did the army call on Kabul *to do*?" by "…, urging Kabul “to uphold …”"."""
    if _URGED.search(question) and re.search(r"\bto do\b", question):
        return _URGED_TO
    doing = re.search(r"\b(must|should|would|will|could)\s+do\b", question)
    return re.compile(rf"\b{doing.group(1)}\s+(?!not\b|be\b|have\b)[a-z]{{3,}}") if doing else None


# A sentence that opens with a concession ("While Najib is leading his country's delegation, Pakistan has not …")
# tells its news in the main clause: what the opening clause says is background.
_ASIDE = re.compile(r"(?:While|Although|Though|Whereas|Even as|Even though)\b[^,]*,")


# A line that gives a role and who holds it, as programme pages list their presenter and guests.
_LABEL = re.compile(r"([A-Z][a-z]+(?: [a-z]+)?):\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}$")

# A sentence that continues the one before it: "That process led to …", "This came after …".
_ANAPHOR = re.compile(r"^(?:That|This|These|Those|Such|The move|The process|The decision)\b")


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    features: dict[str, float]
    grounded: bool = True  # its article names the question's places and people, and it is set where asked
    core: bool = True  # from the top passages (CORE_HITS), not only from the deeper ones


class SentenceStats:
    """Per-sentence stemmed terms and term IDF over all sentences, computed once per index."""

    def __init__(self, index: Index) -> None:
        self.terms = [set(terms(s.text)) for s in index.sentences]
        df: Counter[str] = Counter(t for ts in self.terms for t in ts)
        n = max(len(self.terms), 1)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.default_idf = math.log(1 + (n + 0.5) / 0.5)
        # A sentence naming someone by surname ("Durrani said") also holds how its article introduced them.
        people = introductions((s.doc_id, s.text) for s in index.sentences)
        self.described = [set(terms(" ".join(described(s.text, people.get(s.doc_id, {}))))) for s in index.sentences]
        # A quote "he said" belongs to the speaker named last before it, past the sentences that go on quoting him
        # and those of a quote running over several sentences.
        sentences = index.sentences
        quoted = _in_quotes(sentences)
        self.speaker: list[set[str]] = [set() for _ in sentences]
        for p, s in enumerate(sentences):
            q = p
            while q > 0 and p - q < 4 and (_PRONOUN_SAID.search(sentences[q].text) or quoted[q]) \
                    and sentences[q - 1].doc_id == s.doc_id:
                q -= 1
            if q < p and not _PRONOUN_SAID.search(sentences[q].text):
                self.speaker[p] = self.terms[q]
        self.published = _publication_months(list(index.docs.values()))
        self.people_sides = people_sides(s.text for s in sentences)
        self.labels: dict[str, list[int]] = {}  # the "Role: Name" lines by their role's term
        for p, s in enumerate(sentences):
            if label := _LABEL.match(s.text):
                for t in terms(label.group(1)):
                    self.labels.setdefault(t, []).append(p)
        titles = {d.doc_id: set(terms(d.title)) for d in index.docs.values()}
        self.title_terms = [titles.get(s.doc_id, set()) for s in index.sentences]
        # What each article mentions: its terms, and the consonant skeletons of its capitalised words.
        self.doc_terms: dict[str, set[str]] = {d: set(t) for d, t in titles.items()}
        self.doc_names: dict[str, set[str]] = {d: set() for d in titles}
        for s, ts in zip(index.sentences, self.terms):
            self.doc_terms[s.doc_id] |= ts
        for doc_id, text in [*((s.doc_id, s.text) for s in index.sentences),
                             *((d.doc_id, d.title) for d in index.docs.values())]:
            self.doc_names[doc_id].update(skeleton(w) for w in re.findall(r"\b[A-Z][\w’'-]*", text))

    def weight(self, t: str) -> float:
        return self.idf.get(t, self.default_idf)

    def mentions(self, doc_id: str, name: str) -> bool:
        """Whether an article mentions a name: by its terms, or each word by a spelling of the same consonants."""
        return set(terms(name)) <= self.doc_terms.get(doc_id, set()) or \
            all(skeleton(w) in self.doc_names.get(doc_id, set()) for w in name.split())


def _publication_months(docs: list[DocMeta]) -> dict[str, frozenset[str]]:
    """The month each article was published in, which its counts may leave unsaid. An undated article between two
    articles of the same month, in a source file's order (a news feed's), was published in that month too."""
    month = {d.doc_id: d.date[:7] for d in docs if d.date and re.match(r"\d{4}-\d\d", d.date)}
    for path in {d.path for d in docs}:
        feed = [d for d in docs if d.path == path]
        for i, d in enumerate(feed):
            if d.doc_id in month:
                continue
            before = next((month[e.doc_id] for e in reversed(feed[:i]) if e.doc_id in month), None)
            after = next((month[e.doc_id] for e in feed[i + 1:] if e.doc_id in month), None)
            if before and before == after:
                month[d.doc_id] = before
    return {doc_id: months_named(calendar.month_name[int(m[5:7])]) for doc_id, m in month.items()}


def _open_after(text: str, inside: bool) -> bool:
    """Whether a quote is open after ``text``, given whether one was open before it."""
    marks = re.findall(r"[“”]", text)
    return marks[-1] == "“" if marks else inside


def _in_quotes(sentences: Sequence[Sentence]) -> list[bool]:
    """For each sentence, whether it is part of a quote that runs on after it: it starts inside one, or opens one
    that it does not close."""
    out: list[bool] = []
    inside, doc = False, None
    for s in sentences:
        if s.doc_id != doc:
            inside, doc = False, s.doc_id
        opens = _open_after(s.text, False)
        out.append(inside or opens)
        inside = _open_after(s.text, inside)
    return out


def coverage(q: list[str], have: set[str], stats: SentenceStats) -> float:
    total = sum(stats.weight(t) for t in set(q))
    return sum(stats.weight(t) for t in set(q) if t in have) / total if total else 0.0


@dataclass
class Answerer:
    index: Index

    @cached_property
    def stats(self) -> SentenceStats:
        return SentenceStats(self.index)

    def candidates(self, hits: list[Hit], leaders: Sequence[Chunk] = (), n_hits: int = CORE_HITS) -> list[int]:
        """Sentence positions from the top hits, then from the single rankings' best chunks, without duplicates."""
        pos = self.index.sentence_pos
        seen: dict[int, None] = {}
        for chunk in [*(h.chunk for h in hits[:n_hits]), *leaders]:
            for sid in chunk.sent_ids:
                base = sid if sid in pos else sid.rsplit(".", 1)[0]
                if base in pos:
                    seen.setdefault(pos[base], None)
        return list(seen)

    def score(self, question: str, context_terms: list[str], query_vec: np.ndarray | None,
              hits: list[Hit], seen: frozenset[tuple[str, int]] = frozenset(),
              leaders: Sequence[Chunk] = (), named: str = "") -> list[Scored]:
        """Every candidate sentence scored by meaning, words, wanted answer type and retrieval rank. ``named`` is
        the question with its pronouns resolved."""
        idx, stats = self.index, self.stats
        qterms = terms(question)
        # A "Role: Name" line that names the asked role is a candidate wherever retrieval ranked its passage:
        # a credit line shares few words with any question.
        roles = set(qterms)
        if HOSTED_SHOW.search(question):
            roles |= set(terms("presenter"))  # who hosts a programme presents it (who hosts talks does not)
        labelled = {p for t in roles for p in stats.labels.get(t, ())}
        cands = list(dict.fromkeys([*self.candidates(hits, leaders, DEEP_HITS), *sorted(labelled)]))
        if not cands:
            return []
        core = {*self.candidates(hits, leaders), *labelled}
        qtype, _ = question_focus(question)
        names = question_names(question)
        verb = asked_verb(question) if qtype is None else None
        verb_terms = set(terms(verb)) if verb else set()
        done = _act_asked(question) if qtype is None else None
        source = _SOURCE.search(question)
        source_text = (source.group(1) or source.group(2)) if source else ""
        if not source and qtype == "number" and (told := _COUNT_TOLD_BY.search(question)):
            # "how many … did (Pakistan's) defence minister say …": his count (whose side he is on tells no more)
            source_text = re.sub(r"^[A-Z]\w+['’]s\s+", "", told.group(1))
        source_terms = set(terms(source_text)) - _GENERIC_SOURCE
        own_terms = qterms
        if _ASKS_WORDS.search(question):
            # "What did Asif write would cease?": a sentence's own words must match what was said; the speaker
            # is often named only in the sentence before the quote ("Asif posted on X."), which would otherwise
            # win on the name. The name still counts in the context score.
            spoken = set(terms(" ".join(names)))
            own_terms = [t for t in qterms if t not in spoken]
        elif qtype == "role" and named:
            own_terms = terms(named)  # "What post does *he* hold?" is answered where his name is
        if _ARTICLE_SOURCE.match(source_text):
            # "According to the analysis of the downward spiral in relations, which nation …": the article's topic
            # tells where to look (context), not what the answer sentence says.
            own_terms = [t for t in own_terms if t not in source_terms]
        # An article that names fewer than half of the places and people the question asks about is about
        # something else (half: an article may not repeat a programme's or an agency's name). A programme's title
        # that no article gives ("the Inside Story discussion") tells none apart: the reader knows it from elsewhere.
        known = [n for n in names if not re.search(rf"\b{re.escape(n)}\s+{PROGRAMME}", question)
                 or any(stats.mentions(d, n) for d in idx.docs)]
        about = {d: 2 * sum(stats.mentions(d, n) for n in known) >= len(known)
                 for d in {idx.sentences[p].doc_id for p in cands}}
        dense = (idx.sentence_vectors[cands] @ query_vec) if query_vec is not None else np.zeros(len(cands))
        hit_rank: dict[str, int] = {}
        for h in hits:
            for sid in h.chunk.sent_ids:
                hit_rank.setdefault(sid, h.rank)
        # "that warning": the sentences after the previous answer, to the end of the quote they open.
        follows: set[int] = set()
        if seen and _BACK_REFERENCE.search(question):
            window = {q for p in cands for q in range(max(p - _QUOTE_REACH, 0), p)}
            follows = {x for q in window if self._where(q) in seen for x in self._quote_after(q)}
        out: list[Scored] = []
        for k, p in enumerate(cands):
            s = idx.sentences[p]
            if len(s.text.split()) < MIN_WORDS:
                continue
            own = stats.terms[p]
            near = own | stats.title_terms[p] | stats.speaker[p]
            for q in (self._neighbour(p, -1), self._neighbour(p, 1)):
                if q is not None:
                    near |= stats.terms[q]
            lex = coverage(own_terms, own | stats.described[p], stats)
            ctx = coverage(qterms + context_terms, near, stats)
            typed = 1.0 if qtype and self._typed(p, question) else 0.0
            rank = hit_rank.get(s.sent_id, len(hits) + 1)
            f = {"dense": float(dense[k]), "lexical": lex, "context": ctx,
                 "type": typed if qtype else 0.5, "retrieval": 1.0 / rank}
            if verb_terms & own or done and done.search(s.text):
                f["verb"] = 1.0
            if source_terms and not source_terms & (near | stats.described[p]) and not _ATTRIBUTES.search(s.text) \
                    or source_text and other_speaker(s.text, question, source_text):
                f["unsourced"] = 1.0  # or another side's account
            if p in labelled:
                f["label"] = 1.0  # "Presenter: Adrian Finighan" answers who presented
            if _ASIDE.match(s.text):
                f["aside"] = 1.0
            if s.caption:
                f["dense"] *= 0.8  # captions describe photos, rarely the answer
            if self._where(p) in seen:
                f["seen"] = 1.0  # already the answer of the previous turn
            elif p in follows:
                f["follows"] = 1.0
            grounded = about[s.doc_id] and not other_venue(question, f"{self._before(p)} {s.text}")
            out.append(Scored(s, sum(WEIGHTS[n] * v for n, v in f.items()), f, grounded, p in core))
        out.sort(key=lambda x: -x.score)
        return out

    def rerank(self, hits: Sequence[Hit], ranked: list[Scored], answer: Sequence[Scored] = ()) -> tuple[Hit, ...]:
        """The hits reordered by their best scored sentence; hits with no scored sentence keep their order after.

        Fusion ranks chunks by whole-chunk and single-sentence similarity; the sentence score also weighs the
        question's words, the answer type and the article's setting, so it orders the passages it has judged better.
        The passages holding the ``answer`` sentences come first: the answer is chosen by more than the score.
        """
        best: dict[str, float] = {x.sentence.sent_id: math.inf for x in answer}
        for x in ranked:  # best first
            best.setdefault(x.sentence.sent_id, x.score)

        def judged(h: Hit) -> float | None:
            scores = [best[sid] for sid in h.chunk.sent_ids if sid in best]
            return max(scores) if scores else None

        scored = [(judged(h), h) for h in hits]
        order = sorted((x for x in scored if x[0] is not None), key=lambda x: (-x[0], x[1].rank)) + \
            [x for x in scored if x[0] is None]
        return tuple(replace(h, rank=i + 1) for i, (_, h) in enumerate(order))

    def select(self, ranked: list[Scored], max_sentences: int, question: str = "", named: str = "",
               margin: float = 0.015, type_margin: float = 0.3) -> list[Scored]:
        """The best sentence, plus (for open questions) close runners-up beside it in its article that add new words.

        A question that wants a person, number, date or place is answered only by a sentence that has one:
        the best sentence itself, its neighbour in the article (a quote and the sentence naming its
        speaker), or a typed sentence scoring close to the best. A sentence from an article that never names
        a place or person the question asks about does not answer it. ``named`` is the question with its
        pronouns resolved, which tells whose words a follow-up asks for ("How did *he* describe …").
        """
        ranked = [r for r in ranked if r.grounded]
        if _ASKS_WORDS.search(question):
            # "What did X say …" is answered by something said: a quote, or a sentence reporting speech.
            ranked = [r for r in ranked if _REPORTS_WORDS.search(r.sentence.text)
                      and not other_speaker(r.sentence.text, named or question, people=self.stats.people_sides)]
        if ranked and ranked[0].features["type"] == 0.0:
            top = ranked[0]
            pair = self._typed_neighbour(top, question)
            if pair is not None:
                # The speaker's sentence alone, when it answers about as well as the quote beside it.
                own = next((r for r in ranked if r.sentence.sent_id == pair.sentence.sent_id), None)
                if own is not None and own.score >= top.score - SPEAKER_ALONE:
                    return [own]
                return sorted([top, pair], key=lambda x: x.sentence.start)
            before = self._continued(top, question) or self._elaborated(top, question) \
                or self._refined(top, ranked, question) or self._added(top, question) \
                or self._said_on(top, question)
            if before is not None:
                return [before]
            ranked = [r for r in ranked if r.features["type"] == 1.0 and r.score >= top.score - type_margin]
        if not ranked:
            return []
        best = ranked[0]
        if best.features["type"] == 1.0 and not self._dated(best, question):
            # "When did Dar visit Kabul?": "in April" is answered better by "on 19th April 2025", which another
            # sentence may give in fewer of the question's words ("my visit to Kabul … on 19th April 2025").
            finer = self._refined(best, ranked, question)
            if finer is not None:
                best = Scored(finer.sentence, best.score, {**finer.features, "refined": 1.0})
        chosen = [best]
        if question_focus(question)[0] is not None:
            return chosen  # a name, number, date or place is one fact: one sentence states it
        for s in ranked[1:]:
            if len(chosen) >= max_sentences or s.score < best.score - margin:
                break
            pos = self.index.sentence_pos[s.sentence.sent_id]
            overlap = len(self.stats.terms[pos] & self.stats.terms[self.index.sentence_pos[best.sentence.sent_id]])
            beside = any(abs(pos - self.index.sentence_pos[c.sentence.sent_id]) == 1
                         and c.sentence.doc_id == s.sentence.doc_id for c in chosen)
            if beside and overlap / max(len(self.stats.terms[pos]), 1) < 0.6:
                chosen.append(s)
        return chosen

    def _typed_neighbour(self, top: Scored, question: str) -> Scored | None:
        """The sentence right before or after ``top`` in its article, when it holds the wanted answer type."""
        # Only for "who said …" answered by an unattributed quote or a "he said" sentence: the speaker is the
        # answer. ("What is the name of the envoy?" is not answered by whoever announced the envoy.)
        if question_focus(question)[0] != "person" or not SPEECH.search(question) \
                or not _UNATTRIBUTED.search(top.sentence.text):
            return None
        p = self.index.sentence_pos[top.sentence.sent_id]
        # "he said" names no one: the speaker is further back, past the sentences that go on quoting him.
        back = self._neighbour(p, -1)
        for _ in range(3):
            typed = self._typed_at(back, top, question, "neighbour")
            if typed is not None:
                return typed
            if back is None or not _UNATTRIBUTED.search(self.index.sentences[back].text):
                break
            back = self._neighbour(back, -1)
        return self._typed_at(self._neighbour(p, 1), top, question, "neighbour")

    def _continued(self, top: Scored, question: str) -> Scored | None:
        """The sentence that ``top`` continues ("*That process* led to …"), when it holds the wanted answer type."""
        if not _ANAPHOR.match(top.sentence.text):
            return None
        return self._typed_at(self._neighbour(self.index.sentence_pos[top.sentence.sent_id], -1), top, question,
                              "continued")

    def _elaborated(self, top: Scored, question: str) -> Scored | None:
        """The sentence after ``top`` that names what is asked, when ``top`` restates the question's event.

        "Security forces have killed 33 fighters who tried to cross into Balochistan" is followed by "an overnight
        operation took place in the Zhob *district*": that sentence answers "in which district …", though it
        shares few of the question's words.
        """
        noun = asked_noun(question)
        if noun is None or top.features["lexical"] < RESTATES:
            return None
        after = self._neighbour(self.index.sentence_pos[top.sentence.sent_id], 1)
        if after is None:
            return None
        wanted = set(terms(noun))  # none for a stopword such as "name": then the word itself
        named = wanted & self.stats.terms[after] if wanted else \
            re.search(rf"\b{re.escape(noun)}s?\b", self.index.sentences[after].text, re.I)
        # Or, for "which TTP head …", the role ``top`` names someone by: "… their intended target was the leader of
        # the TTP." "… if the leader, Noor Wali Mehsud, had survived."
        if not named and not (role_nouns(noun) and role_nouns(top.sentence.text) & self.stats.terms[after]):
            return None
        return self._typed_at(after, top, question, "elaborated")

    def _added(self, top: Scored, question: str) -> Scored | None:
        """A sentence soon after ``top`` that adds the asked count to the event ``top`` restates ("Eleven soldiers
        were killed in a gunfight …" … "The army said 19 fighters were *also* killed"). Only counts: a name or a
        date "also" given is more often another's than the one an unanswerable question asks for."""
        if top.features["lexical"] < RESTATES or question_focus(question)[0] != "number":
            return None
        p = self.index.sentence_pos[top.sentence.sent_id]
        for step in range(_ADDED_REACH):
            p = self._neighbour(p, 1)
            if p is None:
                return None
            # The next sentence goes on with the event ("… a mass expulsion campaign." "Government figures say
            # nearly a million have been sent back so far."); a later one must say it adds to it.
            if step == 0:
                if (added := self._typed_at(p, top, question, "added")) is not None:
                    return added
            elif _ALSO.search(self.index.sentences[p].text):
                return self._typed_at(p, top, question, "added")
        return None

    def _said_on(self, top: Scored, question: str) -> Scored | None:
        """For "when did X say …": the end of the quote that ``top`` opens or is part of, which tells when it was
        said ("… issued a stark warning." "“Choose one of two paths. …,” Sharif said on September 13.")."""
        if question_focus(question)[0] != "date" or not SPEECH.search(question):
            return None
        for q in self._quote_after(self.index.sentence_pos[top.sentence.sent_id]):
            typed = self._typed_at(q, top, question, "said_on")
            if typed is not None:
                return typed
        return None

    def _refined(self, top: Scored, ranked: list[Scored], question: str) -> Scored | None:
        """The best typed sentence giving a full date (with its day) in the month ``top`` names.

        "Dar visited Kabul in April" does not say on what date; "my visit to Kabul … on 19th April 2025" does.
        """
        if question_focus(question)[0] != "date" or not (month := months_named(top.sentence.text)):
            return None
        for r in ranked:
            if r.features["type"] == 1.0 and any(month & months_named(d) and _DAY.search(d)
                                                 for d in self._answers(r, question)):
                return r
        return None

    def _dated(self, r: Scored, question: str) -> bool:
        """Whether a sentence answering a date question gives a day, or the question wants no date."""
        return question_focus(question)[0] != "date" or bool(_MONTH_OR_YEAR.search(question)) \
            or any(_DAY.search(d) for d in self._answers(r, question))

    def _answers(self, r: Scored, question: str) -> list[str]:
        """The answers of the wanted type that a scored sentence holds."""
        p = self.index.sentence_pos[r.sentence.sent_id]
        text = r.sentence.text
        return [text[a:b] for a, b in self._typed(p, question)]

    def _typed(self, p: int, question: str, text: str | None = None) -> list[tuple[int, int]]:
        """The answer spans of the wanted type in the sentence at position ``p`` (or in ``text``, its quote)."""
        return typed_spans(self.index.sentences[p].text if text is None else text, question, self._before(p),
                           self._published(p), self.stats.people_sides)

    def _typed_at(self, q: int | None, top: Scored, question: str, reason: str) -> Scored | None:
        """The sentence at position ``q`` standing in for ``top``, when it holds the wanted answer type."""
        if q is None:
            return None
        s = self.index.sentences[q]
        if s.caption or not self._typed(q, question):
            return None
        return Scored(s, top.score, {**top.features, "type": 1.0, reason: 1.0})

    def restated(self, seen: frozenset[tuple[str, int]], question: str) -> frozenset[tuple[str, int]]:
        """The previous answer's sentences (``seen``) with those beside them that its ``question`` was about: they
        hold more of its words (the quote a "who said …" asked about, though only its speaker was cited)."""
        where, qterms = self._positions, terms(question)

        def held(p: int) -> float:
            return coverage(qterms, self.stats.terms[p], self.stats)

        about = {q for w in seen if w in where for q in (self._neighbour(where[w], -1), self._neighbour(where[w], 1))
                 if q is not None and held(q) >= ABOUT and held(q) > held(where[w])}
        return seen | {self._where(q) for q in about}

    @cached_property
    def _positions(self) -> dict[tuple[str, int], int]:
        """Each sentence's position by its file and offset (``_where`` reversed)."""
        return {self._where(p): p for p in range(len(self.index.sentences))}

    def _where(self, p: int) -> tuple[str, int]:
        """The file and offset of the sentence at position ``p``, as a previous turn's answers are remembered."""
        s = self.index.sentences[p]
        return self.index.docs[s.doc_id].path, s.start

    def _quote_after(self, p: int) -> list[int]:
        """The sentence after position ``p``, and those after it up to the end of a quote it opens."""
        out: list[int] = []
        opened = False
        q: int | None = p
        while len(out) < _QUOTE_REACH and (q := self._neighbour(q, 1)) is not None:
            out.append(q)
            opened = _open_after(self.index.sentences[q].text, opened)
            if not opened:
                break
        return out

    def _neighbour(self, p: int, step: int) -> int | None:
        """Position ``p + step``, when that sentence is in the same article as ``p``."""
        q, sentences = p + step, self.index.sentences
        return q if 0 <= q < len(sentences) and sentences[q].doc_id == sentences[p].doc_id else None

    def _published(self, p: int) -> frozenset[str]:
        """The month the article of the sentence at position ``p`` was published in, if it is dated."""
        return self.stats.published.get(self.index.sentences[p].doc_id, frozenset())

    def _before(self, p: int) -> str:
        """The sentence before position ``p`` in the same article ("" at an article's start)."""
        q = self._neighbour(p, -1)
        return self.index.sentences[q].text if q is not None else ""

    def citation(self, n: int, s: Sentence, question: str, file_text: str) -> Citation:
        doc: DocMeta = self.index.docs[s.doc_id]
        quote = file_text[s.start:s.end]
        hl = None
        p = self.index.sentence_pos[s.sent_id]
        spans = self._typed(p, question, quote)
        if spans:
            a, b = best_span(quote, spans, terms(question))
            hl = (s.start + a, s.start + b)
        return Citation(n, s.doc_id, doc.title, doc.date, doc.path, s.start, s.end, quote, hl)
