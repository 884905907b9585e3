"""Answers over the real corpus with the real model: citations, abstention, follow-ups, the CLI contract."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rag.answering as answering
from rag.answering import CORE_HITS, WEIGHTS
from rag.evaluation import load_items
from rag.pipeline import QuestionError

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.model


def _check_citations(engine, answer) -> None:
    for c in (*answer.citations, *answer.related):
        assert engine.file_text(c.path)[c.start:c.end] == c.quote
        assert open(ROOT / c.path, encoding="utf-8").read()[c.start:c.end] == c.quote
        if c.highlight:
            assert c.start <= c.highlight[0] < c.highlight[1] <= c.end


def _answered(engine, question, history=()):
    """The answer to ``question``, which must not abstain and whose citations quote their files exactly."""
    a = engine.ask(question, history)
    assert not a.abstained
    _check_citations(engine, a)
    return a


@pytest.mark.parametrize("name", ["questions", "heldout", "blind"])
def test_every_eval_answer_has_exact_citations(engine, name):
    for item in load_items(ROOT / "eval" / f"{name}.jsonl"):
        a = engine.ask(item.question, item.turns[:-1])
        _check_citations(engine, a)
        markers = [int(n) for n in __import__("re").findall(r"\[(\d+)\]", a.text)]
        assert markers == [c.n for c in a.citations]
        assert a.abstained == (not a.citations)


def test_a_typed_question_is_answered_by_one_sentence(engine):
    """Who/when/how many/where want one fact: one sentence, or a quote plus the sentence naming its speaker."""
    from rag.text import question_focus

    checked = 0
    for item in load_items(ROOT / "eval" / "questions.jsonl"):
        if question_focus(item.question)[0] is None:
            continue
        a = engine.ask(item.question, item.turns[:-1])
        if a.abstained:
            continue
        checked += 1
        assert len(a.citations) <= 2, item.id
        if len(a.citations) == 2:
            pos = engine.index.sentence_pos
            ids = [next(s.sent_id for s in engine.index.sentences if s.start == c.start and s.doc_id == c.doc_id)
                   for c in a.citations]
            assert abs(pos[ids[0]] - pos[ids[1]]) == 1, item.id
    assert checked >= 20


def test_answer_quotes_the_source_and_highlights_the_name(engine):
    a = engine.ask("Who leads Afghanistan's delegation at the talks in Istanbul?")
    assert not a.abstained
    assert "Haji Najib" in a.text
    assert a.short_answer and "Haji Najib" in a.short_answer
    _check_citations(engine, a)


def test_follow_up_retrieves_the_afghan_proposal(engine):
    first = "Who leads Afghanistan's delegation in Istanbul?"
    a = engine.ask("What did his delegation propose?", [first])
    assert a.query != a.question and "Najib" in a.query
    proposal = "calling for Pakistan to end cross-border strikes"
    assert any(proposal in h.chunk.text for h in a.hits[:3])
    assert proposal in a.text


def test_a_follow_up_asking_how_he_described_something_quotes_him_not_another_side(engine):
    a = engine.ask("How did he describe the truce agreed in Doha?",
                   ["Who is Pakistan's Deputy Prime Minister and Foreign Minister?"])
    assert not a.abstained
    assert all("Dar" in c.quote for c in a.citations)
    _check_citations(engine, a)


def test_who_said_cites_the_speaker_and_the_next_turn_treats_the_quote_as_old_news(engine):
    first = ("Which Kabul-based security analyst told Al Jazeera that earlier Pakistani airstrikes in Afghanistan had "
             "yielded no concrete results?")
    a = engine.ask(first)
    assert len(a.citations) == 1 and "Tameem Bahiss" in a.citations[0].quote
    quote = next(s for s in engine.index.sentences if "yielded no concrete results" in s.text)
    seen = engine.retrieve("What else did he say about the strikes?", [first]).seen
    assert (engine.index.docs[quote.doc_id].path, quote.start) in seen
    assert (a.citations[0].path, a.citations[0].start) in seen


def test_a_follow_up_asking_what_post_he_holds_gives_his_title(engine):
    a = _answered(engine, "What position does he hold?", ["Who heads the Afghan delegation in Istanbul?"])
    assert a.short_answer == "Deputy Interior Minister"


def test_a_follow_up_reuses_the_answer_its_chat_just_gave(engine, monkeypatch):
    first, follow = "Who leads Afghanistan's delegation in Istanbul?", "What did his delegation propose?"
    engine._first_turns.clear()
    fresh = engine.ask(follow, [first])  # answers the first turn itself
    calls = []
    real = engine.extractive
    monkeypatch.setattr(engine, "extractive", lambda r: calls.append(r.question) or real(r))
    engine._first_turns.clear()
    engine.ask(first)
    again = engine.ask(follow, [first])
    assert calls == [first, follow]  # the first turn was answered once, not again for the follow-up
    assert (again.text, again.query) == (fresh.text, fresh.query)


def test_off_topic_question_abstains_with_related_passages(engine):
    a = engine.ask("What is the capital of France?")
    assert a.abstained and not a.citations
    assert a.text.startswith("The documents don't say")
    assert a.related
    _check_citations(engine, a)


def test_a_place_no_article_names_is_not_answered_with_another_places_count(engine, monkeypatch):
    q = "How many people were killed in the explosions in Timbuktu?"
    a = engine.ask(q)
    assert a.abstained and a.related
    assert all(c.highlight is None for c in a.related)  # a passage that does not answer marks no answer in it
    # The rule is what abstains: without it, the count from another place's explosions answers.
    monkeypatch.setattr("rag.answering.question_names", lambda question: [])
    assert not engine.ask(q).abstained


def test_a_programme_title_no_article_gives_does_not_rule_out_its_page(engine):
    a = engine.ask("Who was the presenter of the Inside Story show about the ceasefire?")
    assert not a.abstained and "Adrian Finighan" in a.text
    _check_citations(engine, a)
    # Any other name no article gives still does.
    assert engine.ask("Who was the presenter of the Inside Story about the ceasefire?").abstained


def test_a_count_added_a_few_sentences_after_the_event_answers(engine, monkeypatch):
    # "Eleven military personnel have been killed in a gunfight …" restates the question; the count comes later:
    # "The army said 19 fighters were also killed."
    a = _answered(engine, "How many militants were killed, according to the army, in the gunfight in which eleven "
                          "military personnel died?")
    assert a.short_answer == "19" and "also killed" in a.citations[0].quote
    # A question that adds its own setting ("the 8 October 2025 … gunfight") restates the event in a smaller
    # share of its words, but still does.
    q = ("How many fighters did the Pakistani army say were killed in the 8 October 2025 Orakzai gunfight in which "
         "eleven military personnel died?")
    assert engine.ask(q).short_answer == "19"
    monkeypatch.setattr(answering, "RESTATES", 0.5)
    assert engine.ask(q).short_answer != "19"


def test_the_sentence_after_a_restated_event_may_give_its_count(engine):
    # "Since November 2023, Islamabad has been carrying out a mass expulsion campaign, forcing Afghans …" restates
    # the question; the next sentence gives the count: "Government figures say nearly a million have been sent back".
    a = _answered(engine, "According to government figures, roughly how many Afghans has Pakistan deported since its "
                          "mass expulsion campaign began in November 2023?")
    assert a.short_answer == "nearly a million" and a.citations[0].quote.startswith("Government figures say")


def test_the_first_of_two_raids_is_not_answered_by_their_total(engine):
    # "Pakistani security forces have raided two hideouts … killed 12 soldiers and 35 fighters" sums both raids.
    a = _answered(engine, "In the first of the week's two raids on Pakistani Taliban hideouts near the Afghan border, "
                          "how many fighters did the military say it killed?")
    assert a.short_answer == "22" and "first raid" in a.citations[0].quote


def test_a_description_that_restates_the_question_is_not_the_name_asked_for(engine):
    # "their intended target in Kabul was *the leader of the TTP*" restates "the Pakistani Taliban chief" (chief =
    # leader); the next sentence names him: "… if the leader, Noor Wali Mehsud, had survived."
    a = _answered(engine, "Who is the Pakistani Taliban chief said to have been the intended target of the air strikes "
                          "on Kabul?")
    assert a.short_answer == "Noor Wali Mehsud"


def test_when_a_warning_was_given_is_told_where_its_quote_ends(engine):
    a = _answered(engine, "On which date did Shehbaz Sharif warn the Afghans to choose one of two paths?")
    assert a.short_answer and "September 13" in a.short_answer


def test_a_credit_line_for_the_asked_role_is_a_candidate_however_low_its_passage_ranks(engine):
    q = "Who presented the Al Jazeera show about the ceasefire reached in Doha?"
    label = next(s.sent_id for s in engine.index.sentences if s.text == "Presenter: Adrian Finighan")
    assert all(label not in h.chunk.sent_ids for h in engine.retrieve(q).hits[:CORE_HITS])
    assert _answered(engine, q).short_answer == "Adrian Finighan"
    # Who hosts a programme presents it.
    q = "Who hosted the Al Jazeera programme on what guarantees there are for the truce agreed in Doha?"
    assert _answered(engine, q).short_answer == "Adrian Finighan"


def test_when_did_he_say_that_follows_the_previous_answer_to_the_end_of_its_quote(engine):
    a = _answered(engine, "On what date did he say that?",
                  ["Which prime minister issued a stark warning to Afghanistan after visiting wounded soldiers?"])
    assert a.short_answer and "September 13" in a.short_answer


def test_a_question_the_article_raises_can_answer(engine):
    # "What if the supreme leader were to issue a fatwa …?" names the ruling: a question the article raises is
    # scored like any other sentence.
    a = engine.ask("What kind of religious ruling could the Taliban's supreme leader issue against Pakistan's "
                   "security establishment?")
    assert not a.abstained and "fatwa" in a.text and a.citations[0].quote.endswith("?")
    _check_citations(engine, a)


def test_what_someone_said_is_answered_by_reported_speech(engine, monkeypatch):
    # The guest list names Threlkeld, but no sentence reports anything she said.
    q = "What did Elizabeth Threlkeld say about the ceasefire?"
    a = engine.ask(q)
    assert a.abstained and a.related
    said = engine.ask("What did Obaidullah Baheer say about the truce?")
    assert not said.abstained and re.search(r"\bsaid\b|“", said.text)
    monkeypatch.setattr("rag.answering._ASKS_WORDS", re.compile(r"(?!)"))  # without the rule, the list answers
    assert not engine.ask(q).abstained


def test_what_a_side_signalled_is_reported_speech(engine):
    # "The Afghan side also signalled openness to …" reports a position as surely as "said" does.
    a = engine.ask("What did the Afghan side say it was open to for monitoring the truce?")
    assert not a.abstained and "four-party" in a.text
    _check_citations(engine, a)


def test_what_someone_said_is_matched_on_what_was_said_not_the_name(engine, monkeypatch):
    # The sentence before the quote names Naqvi; the quote itself only says "he said".
    q = "What did Mohsin Naqvi say Afghanistan is playing?"
    a = engine.ask(q)
    assert "fire and blood" in a.text and len(a.citations) == 1
    _check_citations(engine, a)
    # Without names to set aside, the speaker's name counts again and the sentence naming him wins.
    monkeypatch.setattr("rag.answering.question_names", lambda question: [])
    assert "fire and blood" not in engine.ask(q).text


def test_the_verb_an_open_question_asks_about_marks_the_answer(engine):
    from rag.answering import asked_verb
    from rag.text import terms

    assert asked_verb("How would the TTP adapt if its leaders were hit?") == "adapt"  # past the inverted subject
    assert asked_verb("What did Dar hope the decision would strengthen?") == "strengthen"
    assert asked_verb("Who leads the delegation?") is None
    # A longer inverted subject, and a clause after the verb.
    assert asked_verb("How would the Pakistani militant group probably adapt if its leaders were hit?") == "adapt"
    assert asked_verb("What did Khawaja Asif write would cease immediately under the Doha deal?") == "cease"
    assert asked_verb("If its leaders were hunted down in Kabul, how would the group probably adapt?") == "adapt"
    # A modal of the question's setting asks nothing.
    assert asked_verb("What title did he use when insisting Afghan territory would not be turned against others?") \
        is None
    q = "What did Ishaq Dar hope the decision to name an ambassador in Kabul would strengthen?"
    r = engine.retrieve(q)
    ranked = engine.answerer.score(q, terms(r.rewrite.context), r.question_vec, list(r.hits), r.seen)
    marked = [x.sentence.text for x in ranked if x.features.get("verb")]
    assert marked and all("strengthen" in t for t in marked)
    assert "strengthen economic cooperation" in engine.ask(q).text


def test_a_person_named_by_surname_is_found_by_how_the_article_introduced_them(engine):
    # The chunk quoting "Durrani said" does not say who he is; keyword search knows it from his introduction.
    q = "What did the former special representative to Afghanistan say Afghanistan lacks compared to Pakistan?"
    top = engine.retrieve(q, retriever="bm25").hits[0].chunk
    assert "conventional military" in top.text and "special representative" not in top.text
    a = engine.ask(q)
    assert "conventional military capacity" in a.text
    _check_citations(engine, a)


def test_a_chunk_one_ranking_is_sure_of_is_judged_even_when_fusion_ranks_it_low(engine):
    q = "Which archrival does Islamabad say bankrolls the group behind the Orakzai convoy ambush?"
    r = engine.retrieve(q)
    bm25_best = r.leaders[-1]  # the sentence-vector ranking's best, then BM25's
    assert "India funds" in bm25_best.text and bm25_best.chunk_id not in {h.chunk.chunk_id for h in r.hits[:6]}
    a = engine.ask(q)
    assert "India" in a.text
    _check_citations(engine, a)
    assert engine.retrieve(q, retriever="bm25").leaders == ()  # only hybrid search fuses


def test_who_ousted_is_answered_by_a_group(engine):
    a = engine.ask("Who removed the Taliban from power in 2001?")
    assert not a.abstained and "NATO" in (a.short_answer or "")


def test_a_sentence_continuing_the_one_before_takes_its_answer_from_it(engine, monkeypatch):
    # "That process led to upgraded diplomatic ties …" best matches; the mediator is in the sentence before it.
    q = "Which country mediated the meetings that led to upgraded diplomatic ties and a lull in violence?"
    a = engine.ask(q)
    assert a.short_answer == "China" and len(a.citations) == 1
    _check_citations(engine, a)
    monkeypatch.setattr("rag.answering._ANAPHOR", re.compile(r"(?!)"))
    assert engine.ask(q).short_answer != "China"


def test_the_sentence_after_a_restatement_answers_when_it_names_what_is_asked(engine, monkeypatch):
    q = "Which district of Balochistan saw security forces kill 33 fighters crossing over from Afghanistan?"
    a = engine.ask(q)
    assert not a.abstained and a.short_answer == "Zhob"
    _check_citations(engine, a)
    monkeypatch.setattr("rag.answering.RESTATES", 2.0)  # no sentence restates: the restatement wins, untyped
    assert engine.ask(q).abstained


def test_a_month_is_refined_to_the_full_date_another_sentence_gives(engine, monkeypatch):
    q = "On what date did Ishaq Dar pay his visit to Kabul with a Pakistani delegation?"
    a = engine.ask(q)
    assert not a.abstained and "19th April" in (a.short_answer or "")
    _check_citations(engine, a)
    monkeypatch.setattr("rag.answering.months_named", lambda text: frozenset())
    assert "19th April" not in engine.ask(q).text


def test_a_when_question_answered_with_a_month_takes_a_close_full_date(engine, monkeypatch):
    # "in April" answers "when", but "on 19th April 2025" answers it better.
    q, first = "When did he visit Kabul?", "Who is Pakistan’s Deputy Prime Minister and Foreign Minister?"
    a = engine.ask(q, [first])
    assert not a.abstained and "19th April" in (a.short_answer or "")
    _check_citations(engine, a)
    monkeypatch.setattr("rag.answering._DAY", re.compile("(?!)"))  # no date gives a day
    assert "19th April" not in engine.ask(q, [first]).text


def test_the_speaker_of_a_he_said_quote_is_found_past_other_he_said_sentences(engine):
    # "Mohsin Naqvi, the interior minister, said …" / "… he said: …" / "“… fire and blood,” he said in a post on X."
    a = engine.ask("Which Pakistani cabinet member said Afghanistan was playing a game of fire and blood?")
    assert not a.abstained and "Naqvi" in (a.short_answer or "")
    _check_citations(engine, a)


def test_a_he_said_quote_counts_its_speaker_among_its_context(engine, monkeypatch):
    # What Naqvi said, two "he said" sentences after the one naming him.
    q, first = "How did he describe what Afghanistan was doing?", "Who is Pakistan's interior minister?"
    a = engine.ask(q, [first])
    assert not a.abstained and "fire and blood" in a.text
    _check_citations(engine, a)
    stats = engine.answerer.stats
    monkeypatch.setattr(stats, "speaker", [set() for _ in stats.speaker])
    assert "fire and blood" not in engine.ask(q, [first]).text


def test_a_follow_up_about_that_warning_is_answered_from_the_quote_after_the_previous_answer(engine, monkeypatch):
    # "… Sharif issued a stark warning to Afghanistan." / "“Choose one of two paths." / … / "…,” Sharif said
    # on September 13." The follow-up's own words ("date", "give", "warning") are in none of them.
    q, first = "On what date did he give that warning?", "Which Pakistani leader issued a stark warning to Afghanistan?"
    a = engine.ask(q, [first])
    assert not a.abstained and "September 13" in (a.short_answer or "")
    _check_citations(engine, a)
    assert "September 13" not in engine.ask("On what date did he give a warning?", [first]).text  # no back-reference
    monkeypatch.setitem(WEIGHTS, "follows", 0.0)
    assert "September 13" not in engine.ask(q, [first]).text


def test_passages_are_reordered_by_their_best_sentence(engine):
    from dataclasses import replace

    from rag.pipeline import Engine

    q = "How many of its soldiers did the Pakistani military admit were killed in the overnight border clashes?"
    a = engine.ask(q)
    fused = Engine(replace(engine.settings, rerank=False), engine.embedder).ask(q)
    assert [h.rank for h in a.hits] == list(range(1, len(a.hits) + 1))
    assert sorted(h.chunk.chunk_id for h in a.hits) == sorted(h.chunk.chunk_id for h in fused.hits)
    assert [h.chunk.chunk_id for h in a.hits] != [h.chunk.chunk_id for h in fused.hits]
    # The answer's passage comes first: "The Pakistani military admitted 23 of its soldiers were ‘martyred’ …".
    assert not a.abstained and "23" in (a.short_answer or "")
    assert a.hits[0].chunk.start <= a.citations[0].start < a.hits[0].chunk.end
    assert a.text == fused.text


def test_a_fact_in_a_concessive_clause_yields_to_one_stated_outright(engine, monkeypatch):
    # "While Afghanistan’s Deputy Interior Minister Haji Najib is leading his country’s delegation in Turkiye,
    # Pakistan has not given details …" / "Afghanistan’s delegation is led by Deputy Interior Minister Haji Najib."
    q = "Who leads Afghanistan's delegation at the Istanbul talks?"
    a = engine.ask(q)
    assert not a.abstained and a.citations[0].quote.startswith("Afghanistan’s delegation is led by")
    monkeypatch.setitem(WEIGHTS, "aside", 0.0)
    assert engine.ask(q).citations[0].quote.startswith("While")


def test_an_account_asked_for_is_not_answered_by_a_sentence_that_attributes_nothing(engine, monkeypatch):
    # "At least 3 million Afghan refugees have taken shelter in Pakistan …" is the reporter's own figure; the
    # defence minister's is in a quote three sentences after the one naming him: "… 6 million Afghan refugees …".
    q = ("According to the defence minister's remarks in parliament, how many Afghan refugees has Pakistan sheltered "
         "over six decades?")
    # "How many … did Pakistan's defence minister say …" asks for his account too.
    told = "In a speech to parliament, how many Afghan refugees did Pakistan's defence minister say it had hosted?"
    for question in (q, told):
        assert "6 million" in (_answered(engine, question).short_answer or "")
    monkeypatch.setattr(answering, "_COUNT_TOLD_BY", re.compile(r"(?!)"))
    assert "6 million" not in (engine.ask(told).short_answer or "")
    monkeypatch.setitem(WEIGHTS, "unsourced", 0.0)
    assert "6 million" not in (engine.ask(q).short_answer or "")


def test_another_sides_account_does_not_answer_according_to_one_side(engine):
    # The Taliban spokesman's account of the strikes is not what a Pakistani security source told Reuters.
    q = ("According to an unnamed Pakistani security source speaking to a British wire service, whom were the strikes "
         "on the Afghan capital meant to hit?")
    a = engine.ask(q)
    assert not a.abstained and "leader of the TTP" in a.text
    _check_citations(engine, a)


def test_an_articles_topic_tells_where_to_look_not_what_the_answer_says(engine, monkeypatch):
    # "According to the analysis of the recent downward spiral in relations" names the article, whose opening
    # sentence repeats those words ("The recent downward spiral in Afghanistan-Pakistan relations …").
    q = ("According to the analysis of the recent downward spiral in relations, which is the sole nation to have "
         "officially recognised the Taliban government?")
    assert "Russia" in (_answered(engine, q).short_answer or "")
    monkeypatch.setattr(answering, "_ARTICLE_SOURCE", re.compile(r"(?!)"))
    assert "Russia" not in (engine.ask(q).short_answer or "")


def test_deeper_passages_replace_an_answer_but_never_an_abstention(engine, monkeypatch):
    # The truce's description is in the 7th passage; the top six hold a loosely related answer.
    q = "How did Pakistan's top diplomat characterise the truce reached in the Qatari capital?"
    a = engine.ask(q)
    assert not a.abstained and "first step in the right direction" in a.text
    _check_citations(engine, a)
    monkeypatch.setattr(answering, "DEEP_HITS", answering.CORE_HITS)
    assert "first step in the right direction" not in engine.ask(q).text
    # An unanswerable question stays unanswered, though a deeper passage scores above the threshold.
    monkeypatch.setattr(answering, "DEEP_HITS", 8)
    assert engine.ask("How many TTP fighters are estimated to be based in Afghanistan?").abstained


def test_an_open_answer_adds_only_sentences_that_continue_it(engine):
    # Near-tied sentences from elsewhere in the corpus are not appended to the answer.
    a = engine.ask("What protective military hardware is Afghanistan's government missing?")
    assert not a.abstained and "air defence systems" in a.text
    _check_citations(engine, a)
    lines = [engine.answerer.index.sentence_pos[s] for s in
             (next(x.sent_id for x in engine.index.sentences if x.start == c.start) for c in a.citations)]
    assert lines == list(range(lines[0], lines[0] + len(lines)))


def test_what_name_someone_used_is_the_quoted_name_in_the_sentence_after_the_setting(engine):
    # "… Mujahid, the Taliban spokesman, stressed that the Afghan soil “will not be allowed …”." / "It is “the
    # consistent stance of the Islamic Emirate” he said, referring to the official name of the Afghanistan government."
    a = engine.ask("What name did the Taliban spokesman use for Afghanistan's government when insisting Afghan soil "
                   "would not be used against other countries?")
    assert not a.abstained and a.short_answer == "Islamic Emirate"
    _check_citations(engine, a)


def test_what_someone_was_urged_to_do_is_the_act_after_the_urging(engine):
    # "…, the military said, urging the Taliban government in Kabul “to uphold its responsibilities …”" rather than
    # the sentences about the raids that the question names.
    a = engine.ask("What did the army call on Afghanistan's rulers to do after the deadly Bajaur and South Waziristan "
                   "raids?")
    assert not a.abstained and "uphold its responsibilities" in a.text
    _check_citations(engine, a)


def test_which_month_is_answered_by_the_month_not_refined_to_a_day(engine, monkeypatch):
    # "Dar visited Kabul in April" answers which month; "… on 19th April 2025" is kept for "on what date".
    q = "In which month did Ishaq Dar visit Kabul before Pakistan decided to upgrade its envoy to ambassador?"
    a = engine.ask(q)
    assert not a.abstained and "in April" in a.text and "19th April" not in a.text
    _check_citations(engine, a)
    assert "19th April" in engine.ask(q.replace("In which month", "On what date")).text
    monkeypatch.setattr("rag.answering._MONTH_OR_YEAR", re.compile(r"(?!)"))
    assert "19th April" in engine.ask(q).text


def test_who_said_cites_the_speakers_sentence_alone_when_it_answers_as_well(engine, monkeypatch):
    # "Abdullah Baheer, a political analyst based in Kabul, said … is “a problematic model”." needs no second
    # citation of the quote that follows it.
    q = ("Which Kabul-based commentator told Al Jazeera that bombing Afghanistan and killing civilians was a flawed "
         "approach?")
    a = engine.ask(q)
    assert not a.abstained and a.short_answer == "Abdullah Baheer" and len(a.citations) == 1
    _check_citations(engine, a)
    monkeypatch.setattr("rag.answering.SPEAKER_ALONE", -1.0)
    assert len(engine.ask(q).citations) == 2


def test_a_label_line_answers_who_held_its_role(engine, monkeypatch):
    # A programme page lists "Presenter: Adrian Finighan" on a line of its own.
    q = "Who was the presenter of the discussion programme asking what guarantees exist for the ceasefire?"
    a = engine.ask(q)
    assert not a.abstained and a.short_answer == "Adrian Finighan"
    _check_citations(engine, a)
    monkeypatch.setitem(WEIGHTS, "label", 0.0)
    assert "Adrian Finighan" not in engine.ask(q).text


def test_timings_and_json_shape(engine):
    d = engine.ask("When was the ceasefire agreed in Doha?").to_dict()
    for key in ("question", "answer", "abstained", "mode", "citations", "hits", "timings_ms"):
        assert key in d
    assert d["mode"] == "extractive"
    assert {"rewrite", "embed", "retrieve", "answer", "total"} <= set(d["timings_ms"])
    for c in d["citations"]:
        assert set(c) >= {"n", "doc_id", "title", "date", "path", "start", "end", "quote"}
    for h in d["hits"]:
        assert set(h) >= {"chunk_id", "score", "path", "start", "end"}
    json.dumps(d)


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 2001])
def test_bad_questions_raise_a_clear_error(engine, question):
    with pytest.raises(QuestionError):
        engine.ask(question)


@pytest.mark.parametrize("question", [
    "Who leads\x00 Afghanistan's\u200b delegation?\x07",
    "طالبان چه پیشنهادی در استانبول دادند؟",
    "💥💥 ceasefire 🕊️?",
    "<script>alert(1)</script> Who mediated the Doha talks?",
])
def test_odd_questions_get_an_answer_or_abstention(engine, question):
    a = engine.ask(question)
    _check_citations(engine, a)
    assert a.text


def _rag(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300)


def test_cli_ask_json_contract():
    p = _rag("ask", "What did his delegation propose?", "--json", "--history",
             "Who leads Afghanistan's delegation in Istanbul?", "--top-k", "5")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["question"] == "What did his delegation propose?"
    assert len(d["hits"]) <= 5
    text = open(ROOT / d["citations"][0]["path"], encoding="utf-8").read()
    for c in d["citations"]:
        assert text[c["start"]:c["end"]] == c["quote"]


def test_cli_plain_output_lists_sources():
    p = _rag("ask", "Which countries mediated the Doha ceasefire?")
    assert p.returncode == 0, p.stderr
    assert "Sources:" in p.stdout and "[1]" in p.stdout and "seeds/" in p.stdout


@pytest.mark.parametrize("args", [["ask", ""], ["ask", "y" * 3000], ["ask", "ok?", "--top-k", "0"],
                                  ["eval", "--questions", "no/such/file.jsonl"]])
def test_cli_bad_input_is_one_line_and_nonzero(args):
    p = _rag(*args)
    assert p.returncode != 0
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and p.stderr.startswith("rag: error:")


def test_cli_eval_rewrites_a_named_readme_block(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join((ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines(True)[:3]),
                         encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("<!-- eval:start -->\nmain\n<!-- eval:end -->\n<!-- eval-x:start -->\nSTALE\n<!-- eval-x:end -->\n",
                      encoding="utf-8")
    p = _rag("eval", "--questions", str(questions), "--update-readme", str(readme), "--readme-block", "eval-x")
    assert p.returncode == 0, p.stderr
    text = readme.read_text(encoding="utf-8")
    assert "main" in text and "STALE" not in text  # only the named block changes
    block = text.split("<!-- eval-x:start -->")[1]
    assert "--readme-block eval-x" in block and "| bm25 |" in block and "p50 ms" not in block


def test_cli_calibrate_says_its_table_has_abstention_off(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join((ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines(True)[:4]),
                         encoding="utf-8")
    p = _rag("eval", "--questions", str(questions), "--calibrate")
    assert p.returncode == 0, p.stderr
    assert "threshold 0" in p.stdout and "calibrated abstain_threshold:" in p.stdout
