"""Question typing and answer spans (no model, no index)."""

from __future__ import annotations

import pytest

from rag.text import (answer_spans, best_span, other_speaker, other_venue, people_sides, question_focus,
                      question_names, question_type, skeleton, terms, typed_spans)


@pytest.mark.parametrize("question, want", [
    ("Who leads Afghanistan's delegation?", "person"),
    ("Which country recognised the Taliban first?", "country"),
    ("Which other countries had appointed ambassadors to Kabul?", "country"),
    ("What nations mediated the truce?", "country"),
    ("Which Gulf states backed the talks?", "country"),
    ("Which country's foreign minister urged restraint?", "person"),
    ("Which city hosted the second round?", "place"),
    ("Where were the talks held?", "place"),
    ("When did the ceasefire begin?", "date"),
    ("How many soldiers were killed?", "number"),
    ("How long did the talks last?", "duration"),
    ("What did the delegation propose?", None),
    ("Which Inside Story guest is a senior fellow at the Stimson Center?", "person"),
    ("Which programme guest covers parliament?", "person"),
    ("In which language did the spokesman post?", "language"),
    # "The name of X" is the kind X is; a name of anything else is some capitalised name.
    ("What is the name of the party led by Imran Khan?", "org"),
    ("What is the name of the Afghan Taliban's chargé d'affaires in Islamabad?", "person"),
    ("What official name of the Afghan government did the spokesman use?", "term"),
    ("Which official name for Kabul's government did the spokesman invoke?", "entity"),  # "official" is no person
    ("What name did the spokesman use for the government?", "term"),
    ("Which official said so?", "person"),
    # The noun after "which" may be plural, but a verb ends the search for it.
    ("Which officials attended the talks?", "person"),
    ("What does an envoy presenting credentials signify for the Taliban?", None),
    ("At which institution does she direct the programme?", "org"),
    ("Which power acted as go-between?", "country"),
    ("Which archrival does Islamabad say funds the group?", "country"),
    ("What were the names of the two TTP commanders killed?", "person"),
    ("Which lieutenant colonel was among the soldiers killed?", "person"),
    ("Who hosted the talks in Doha?", "entity"),
    ("Who hosted the televised panel discussion about the truce?", "person"),  # who presented it
    ("Which is the sole nation to have recognised the Taliban?", "country"),
    ("Which two countries' mediation led the Taliban to halt their strikes?", "country"),
    # A relative clause set off by commas does not ask: the wh-word after it does.
    ("Ibraheem Bahiss, who told AFP that a topic would be key, is an analyst for which organisation?", "org"),
    ("In October, when the clashes erupted, who led the army?", "person"),
    ("When the analyst challenged Pakistan to show proof, how many injured people did he cite?", "number"),
    ("When were the talks, which began on Saturday, due to end?", "date"),
    ("Name the lieutenant colonel who died, with his deputy, when fighters ambushed a convoy.", "person"),
    ("Into which two Pakistani areas did gunmen try to cross?", "place"),
    ("The analyst who asked for proof said how many people were injured in the bombing?", "number"),
    ("In the sequence of nations naming an ambassador to Kabul, what position did Pakistan take?", "ordinal"),
    ("In what year did the TTP abandon the truce?", "date"),
    ("At what hour did the attack begin?", "date"),
    ("Who removed the Taliban from power in 2001?", "entity"),
    ("What was the annual value of trade between the two countries?", "number"),
    ("In which venue were the talks held?", "place"),
    ("What deadline did Pakistan set for the refugees?", "date"),
    ("Which countries appointed ambassadors to Kabul before Pakistan?", "country"),  # not the ambassadors
    ("Which country's minister met Muttaqi?", "person"),
    ("What exact dollar amount do traders lose each day?", "number"),
    ("Which independent watchdog called for an impartial probe?", "org"),
    ("Which ex-envoy played down the risk of a wider war?", "person"),
    ("Which business lobby estimated the traders' losses?", "org"),
])
def test_question_types(question, want):
    assert question_focus(question)[0] == want or question_type(question) == want


def _texts(sentence: str, question: str) -> list[str]:
    return [sentence[a:b] for a, b in typed_spans(sentence, question)]


def test_country_answers_are_names_of_countries_not_in_the_question():
    q = "Pakistan became the fourth country to appoint an ambassador to Kabul after which other countries?"
    s = "Pakistan has become the fourth country to appoint an ambassador to Kabul, after China, UAE and Uzbekistan."
    assert _texts(s, q) == ["China, UAE and Uzbekistan"]
    assert _texts("Russia is the only country that has formally recognised the Taliban.",
                  "Which country has recognised the Taliban?") == ["Russia"]
    # ISO names without accents and everyday short forms both count.
    assert _texts("Talks were hosted by Turkiye and Qatar.", "Which countries hosted talks?") == ["Turkiye and Qatar"]
    # A sentence naming only the question's own country holds no answer.
    assert _texts("Pakistan has appointed an ambassador.", "Which country did Pakistan follow?") == []
    # Capitalised words that are not countries are not answers.
    assert _texts("The Taliban government in Kabul said so.", "Which country said so?") == []


def test_a_city_is_not_answered_by_a_country():
    s = "The borders of Afghanistan are under control, Mujahid said at a news conference in Kabul."
    assert _texts(s, "In which city did Mujahid give the news conference?") == ["Kabul"]


def test_a_building_or_institution_is_answered_by_its_name_not_its_city():
    s = "Delegations met in Doha, in Qatar, at the Sheraton Grand Hotel on Sunday."
    assert _texts(s, "At which venue in Doha did the delegations meet?") == ["Sheraton Grand Hotel"]
    assert _texts("Delegations met in Doha, Qatar, on Sunday.", "At which hotel did the delegations meet?") == []
    s = "Their deadliest attack came in 2014, when they targeted the Army Public School (APS) in Peshawar."
    assert _texts(s, "Which school in Peshawar did the group attack?") == ["Army Public School"]
    # A hospital elsewhere in the question does not make a town question ask for a building.
    s = "A man was taken to a hospital in Chaman, a town on the border."
    assert _texts(s, "In which town was the man taken to hospital?") == ["Chaman"]


def test_a_value_is_a_sum_of_money():
    q = "What was the value of bilateral trade last year?"
    assert _texts("Trade between the two countries reached $1.6 billion.", q) == ["$1.6 billion"]
    assert _texts("The two sides agreed to expand trade.", q) == []
    # An exact amount is a figure, not "millions of dollars".
    q = "What exact dollar amount do traders lose each day?"
    assert _texts("Traders are losing millions of dollars each day.", q) == []
    assert _texts("Traders are losing 3 million dollars each day.", q) == ["3 million"]
    assert _texts("Traders are losing millions of dollars.", "What was the value of the lost trade?") == []
    assert _texts("Traders are losing millions of dollars.", "What total amount have traders lost?") == []
    assert _texts("Traders are losing millions of dollars.", "How much are traders losing?") == ["millions"]
    # "how much money" counts no noun that a sum of money must repeat.
    assert _texts("Traders are losing millions of dollars.", "How much money are traders losing?") == ["millions"]
    # "By how much did violence grow": a change, not the period it grew over.
    q = "By how much did violence grow in the first nine months of 2025?"
    assert _texts("Violence in the first three quarters of 2025 nearly matched the toll of 2024.", q) == []
    assert _texts("The first three-quarters of this year have seen a 46 percent surge.", q) == ["46 percent"]
    q = "By what proportion did violence grow this year?"
    assert _texts("The think tank said 2025 could be one of the deadliest years.", q) == []
    assert _texts("The year has seen a 46 percent surge in violence.", q) == ["46 percent"]


def test_place_answers_are_cued_places():
    spans = [s for s in answer_spans("Qatar brokered a truce signed in Doha.", "place", "Where was the truce signed?")]
    texts = {"Qatar brokered a truce signed in Doha."[a:b] for a, b in spans}
    assert texts == {"Doha"}  # "Qatar brokered" names a country, not where it happened


@pytest.mark.parametrize("question, want", [
    # Only the wh-word that opens the question asks; later ones belong to relative or embedded clauses.
    ("Which security-focused outlet was co-founded by the analyst who said the blasts were a warning?", "org"),
    ("Who headed Kabul's negotiating team when it arrived in Doha?", "person"),
    ("According to the analysis of what lies behind the violence, which country recognised the Taliban?",
     "country"),
    ("At what regional gathering was the president when he spoke to reporters?", None),
    ("In how many stages does the plan unfold?", "number"),
    ("On what date did Sharif speak?", "date"),
    ("What level of diplomat heads the embassy?", None),
])
def test_the_opening_wh_word_decides_the_type(question, want):
    assert question_type(question) == want


def test_a_count_one_side_reports_does_not_answer_what_the_other_side_admitted():
    s = "Clashes killed at least five Pakistani soldiers and 25 fighters, Pakistan’s army says."
    assert _texts(s, "How many fighters did the Taliban government admit losing?") == []
    assert _texts(s, "How many fighters did Kabul acknowledge losing?") == []
    assert _texts(s, "How many fighters did Pakistan's military say were killed?") == ["25"]
    assert _texts(s, "How many fighters were killed?") == ["25"]  # no side asked for
    s = "The Pakistani Taliban said 12 soldiers were killed, according to Pakistan Taliban statements."
    assert _texts(s, "How many soldiers did the Taliban government say were killed?") == []
    # A teller with no country ("the military says") speaks for the side the sentence names first.
    s = "Pakistani security forces have killed 33 fighters who tried to cross from Afghanistan, the military says."
    assert _texts(s, "How many of its fighters did the Taliban government acknowledge losing?") == []
    assert _texts(s, "How many fighters did Pakistan's army say it killed?") == ["33"]
    s = "Pakistani forces raided two hideouts, in clashes that killed 12 soldiers and 35 fighters, says the military."
    assert _texts(s, "How many fighters did the Afghan government acknowledge losing?") == []


def test_a_count_of_one_nations_people_is_not_of_anothers():
    s = "The spokesman said at least 58 Pakistani soldiers were killed in retaliatory attacks."
    assert _texts(s, "How many Afghan soldiers were killed in the attacks?") == []
    assert _texts(s, "How many Pakistani soldiers were killed in the attacks?") == ["at least 58"]


def test_a_count_of_another_events_dead_does_not_answer():
    q = "How many people were killed in the explosion at the market in Paktika?"
    s = "The spokesman said 58 soldiers were killed in retaliatory attacks, two days after blasts in Paktika."
    assert _texts(s, q) == []
    assert _texts("At least 12 people were killed in the explosion at the market.", q) == ["At least 12"]


def test_a_count_for_a_month_needs_that_month():
    q = "How many Afghans were deported from Pakistan in September 2025?"
    s = "Pakistan has deported tens of thousands of Afghans, mostly in the market towns."
    assert typed_spans(s, q, months=frozenset({"oct"})) == []  # published in October, naming no month
    assert typed_spans(s, q) != []  # an undated article that names no month does not say which it was
    assert typed_spans("In April, Pakistan deported 80,000 Afghans.", q) == []
    assert _texts("In Sept, Pakistan deported 80,000 Afghans.", q) == ["80,000"]
    assert typed_spans("Pakistan deported 80,000 Afghans.", q, "Deportations rose in September.") != []
    q = "What was the death toll from violence over the single month of September?"
    assert typed_spans("Violence in the first three quarters of 2025 killed 2,414 people.", q,
                       months=frozenset({"oct"})) == []
    assert _texts("In September alone, at least 135 people were killed.", q) == ["at least 135"]


def test_a_count_for_a_day_is_not_a_count_for_a_year_or_another_day():
    q = "How many people were killed in the two drone attacks on Kabul on Wednesday, October 15?"
    assert _texts("Last year, at least 2,546 people were killed in attacks.", q) == []
    assert _texts("Nearly 460 people have been killed since January 1 in attacks.", q) == []
    assert _texts("At least 58 people were killed in attacks on Saturday night.", q) == []
    assert _texts("Five people were killed in the drone attacks on Wednesday.", q) == ["Five"]
    assert _texts("Five people were killed in the drone attacks.", q) == ["Five"]


def test_a_count_for_last_year_is_not_one_for_this_year():
    q = "How many people did the think tank say had been killed in attacks the previous year?"
    assert _texts("At least 2,414 people were killed in attacks this year, the think tank said.", q) == []
    assert _texts("Last year, at least 2,546 people were killed in attacks.", q) == ["at least 2,546"]
    assert _texts("At least 2,546 people were killed in attacks.", q) == ["At least 2,546"]


def test_one_as_a_pronoun_is_no_count():
    q = "How many drone strikes hit Kabul on Wednesday?"
    assert _texts("The military has conducted strikes in Afghanistan, the most recent one in December 2024.", q) == []
    assert _texts("One drone strike hit Kabul.", q) == ["One"]


def test_a_count_of_people_is_not_a_length():
    q = "How many people were injured in the explosion at the market?"
    assert _texts("The violence erupted along their 2,600km (1,600-mile) border after the explosion.", q) == []
    assert _texts("How long is the border?", q) == []
    assert _texts("At least 12 people were injured in the explosion.", q) == ["At least 12"]


def test_a_passive_date_question_needs_its_event():
    q = "On what date was a final agreement signed in Istanbul?"
    assert _texts("The talks in Istanbul began on Saturday.", q) == []
    assert _texts("The agreement was signed in Istanbul on October 30.", q) == ["October 30"]
    # The event may be told by the sentence before the one with the date.
    assert typed_spans("That was on October 30.", q, "The agreement was signed in Istanbul.") != []
    # Only a passive participle names the event: "when did the talks begin" keeps its dates.
    assert _texts("The talks in Istanbul began on Saturday.", "When did the Istanbul talks begin?") == ["on Saturday"]
    # Not the verb of a clause that dates the event or describes its subject.
    erupted = "The violence erupted on October 11."
    assert _texts(erupted, "When did the violence erupt, before the ceasefire was agreed?") == ["October 11"]
    removed = "Khan, who championed talks, was removed as prime minister in April 2022."
    q = "When was the premier who had pushed for negotiations with the TTP forced out of office?"
    assert _texts(removed, q) == ["in April 2022"]
    assert _texts("He pushed for negotiations in August 2021.", q) == []


def test_at_what_time_wants_a_clock_time():
    q = "At what time on Saturday night did the attack on the border begin?"
    assert _texts("The attack on the border began about 10pm (17:00 GMT) on Saturday.", q) == ["10pm"]
    assert _texts("The attack on the border began on Saturday night.", q) == []


def test_an_ending_date_is_told_next_to_the_ending():
    q = "On what date did the Istanbul talks conclude?"
    s = "The talks, which began on Saturday and continue on Sunday, follow a truce to end the clashes."
    assert _texts(s, q) == []  # a start, and an "end" of something else far from the dates
    assert _texts("The talks in Istanbul concluded on Thursday.", q) == ["on Thursday"]
    # The ending may be told by the sentence before the date.
    assert typed_spans("That was on Thursday.", q, "The Istanbul talks ended without a deal.") != []
    assert typed_spans("That was on Thursday.", q, "The Istanbul talks began.") == []
    # However long the subject: "the Istanbul round of talks between Pakistan and Afghanistan conclude".
    q = "On what date did the Istanbul round of talks between Pakistan and Afghanistan conclude?"
    assert _texts("Delegations from both countries arrived in Istanbul on Saturday for talks.", q) == []


def test_who_commanded_wants_the_commander_not_whoever_else_is_named():
    q = "Who commanded the Pakistani troops during the operation in Zhob?"
    assert _texts("Prime Minister Shehbaz Sharif praised the troops for the operation in Zhob.", q) == []
    s = "The operation in Zhob was commanded by Brigadier Ahmed Khan, the army said."
    assert _texts(s, q) == ["Brigadier Ahmed Khan"]
    # The sentence before may tell of the role.
    assert typed_spans("Ahmed Khan spoke later.", q, "The troops' commander was at the front.") != []
    # Likewise who presented a programme: its presenter, not whoever is named in it.
    q = "Who presented the discussion on the ceasefire?"
    assert _texts("Mujahid said talks would take place in Doha, led by Defence Minister Mullah Yaqoob.", q) == []
    # Likewise who presides over an assembly: its speaker, not another lawmaker who spoke in it.
    q = "Who, presiding over the provincial legislature, blamed the bombing?"
    assert _texts("Speaking in the Provincial Assembly, lawmaker Sohail Khan Afridi blamed the military.", q) == []
    assert _texts("Babar Saleem Swati, the provincial assembly speaker, blamed jets.", q) == ["Babar Saleem Swati"]


def test_which_commander_names_who_is_asked_not_a_role_to_find():
    s = ("“The regime must rein in the proxies,” Pakistani Army chief Field Marshal Asim Munir said on Saturday, "
         "addressing a graduation ceremony of cadets.")
    q = "Which senior commander, addressing graduating cadets, demanded that the regime restrain its proxies?"
    assert _texts(s, q) == ["Field Marshal Asim Munir"]
    assert _texts("Prime Minister Shehbaz Sharif praised the troops.", "Which general commanded the troops?") == []


def test_a_person_may_be_named_by_a_role():
    s = "An official said their intended target in Kabul was the leader of the TTP, who was travelling in a vehicle."
    assert _texts(s, "Who was the intended target of the strikes in Kabul?") == ["the leader of the TTP"]
    # Not when the question already names that role.
    assert _texts(s, "Who was the leader of the TTP?") == []


def test_a_name_holding_another_office_does_not_answer():
    q = "Who is Pakistan's interior minister?"
    assert _texts("Afghanistan’s Interior Minister Sirajuddin Haqqani spoke.", q) == []  # another country's
    assert _texts("The delegation is led by Deputy Interior Minister Haji Najib.", q) == []  # a deputy
    assert _texts("Mohsin Naqvi, the interior minister, said the attacks were unprovoked.", q) == ["Mohsin Naqvi"]
    assert _texts("Pakistan’s Interior Minister Mohsin Naqvi spoke.", q) == ["Interior Minister Mohsin Naqvi"]
    # Another nationality's official, or another office ("police officer" is not a commander).
    s = "He met his Afghan counterpart, Amir Khan Muttaqi, and their Chinese counterpart Wang Yi in Beijing."
    assert "Wang Yi" not in _texts(s, "Which Indian minister met Muttaqi?")
    s = "Local police officer Zafar Khan said two of the dead were TTP commanders."
    assert _texts(s, "What were the names of the TTP commanders who were killed?") == []
    s = "Pakistan’s deputy prime minister Ishaq Dar visited Kabul in April."
    assert _texts(s, "Who is Pakistan's Deputy Prime Minister and Foreign Minister?") == ["Ishaq Dar"]
    s = "Afghanistan’s delegation is led by Deputy Interior Minister Haji Najib."
    assert _texts(s, "Who led Pakistan's delegation at the talks?") == []
    # The country may follow the office ("spokesperson for Afghanistan's ministry"); an office may be set off
    # by a comma ("the country's defence minister, Khawaja Asif" is not a spokesperson).
    q = "Who is the spokesperson for Afghanistan's Ministry of Defence?"
    s = "Pakistan’s Ministry of Foreign Affairs said the country’s defence minister, Khawaja Asif, led the talks."
    assert _texts(s, q) == []
    s = "Enayatullah Khowarazmi, spokesperson for Afghanistan’s Ministry of Defence, said the attacks had ended."
    assert _texts(s, q) == ["Enayatullah Khowarazmi"]
    assert _texts("The ministry’s spokesperson, Ahmed Khan, said so.", "Who is the ministry's spokesperson?") == \
        ["Ahmed Khan"]
    # "Deputy" belongs to another title than the one asked about.
    s = "Pakistan’s Deputy Prime Minister and Foreign Minister Ishaq Dar spoke."
    assert _texts(s, "Who is Pakistan's foreign minister?") == ["Foreign Minister Ishaq Dar"]


def test_a_reporter_or_a_country_is_not_the_person_asked_about():
    s = "Reporting from Istanbul, Al Jazeera’s Sinem Koseoglu said the talks are expected to pave the way."
    assert _texts(s, "Who headed Pakistan's delegation at the Istanbul talks?") == []
    assert _texts(s, "Which Al Jazeera correspondent reported from Istanbul?") == ["Sinem Koseoglu"]
    s = "Pakistan is the fourth country to name an ambassador to Kabul, after China, the United Arab Emirates and Uzbekistan."
    assert _texts(s, "What is the name of the ambassador Pakistan designated to Kabul?") == []


def test_an_agency_a_photo_credit_or_a_region_is_not_a_person():
    q = "Which Indian minister met Muttaqi in New Delhi?"
    assert _texts("Muttaqi speaks in Deoband, Uttar Pradesh, India [Anushree Fadnavis/Reuters]", q) == []
    assert _texts("He met Subrahmanyam Jaishankar, India’s foreign minister.", q) == ["Subrahmanyam Jaishankar"]
    s = "“The assault was repelled,” the Inter-Services Public Relations (ISPR) said in a statement."
    assert _texts(s, "Who is the ISPR director general?") == []


def test_which_two_wants_a_list_of_two():
    q = "Which two countries brokered the Doha ceasefire?"
    # The question names Doha, hence Qatar; the answer is still the whole list.
    assert _texts("Days earlier, Qatar and Turkiye brokered a ceasefire in Doha.", q) == ["Qatar and Turkiye"]
    assert _texts("The United States backed the talks, and US officials welcomed the ceasefire.", q) == []
    s = "Pakistan is the fourth country to name an ambassador, after China, the United Arab Emirates and Uzbekistan."
    assert _texts(s, "Which three countries named ambassadors before Pakistan?") == [
        "China, the United Arab Emirates and Uzbekistan"]


def test_a_lone_surname_is_a_person_when_it_speaks_or_is_introduced_as_one():
    q = "Which analyst said there are no winners in war?"
    assert _texts("Baheer, the political analyst, said there are “no winners in war”.", q) == ["Baheer"]
    assert _texts("Bahiss said the group would adapt.", q) == ["Bahiss"]
    # Places that "say" things, and names after a place preposition, are not people.
    assert _texts("Washington said it would help.", q) == []
    assert _texts("There was no comment from the Taliban in Kabul or from New Delhi.", q) == []
    assert _texts("Peshawar, the provincial capital, was calm.", q) == []


def test_the_short_answer_is_the_name_among_the_question_words():

    q = "Who headed Kabul's negotiating team when it arrived in Doha?"
    s = ("“As promised, negotiations with the Pakistani side will take place today in Doha,” Afghan government "
         "spokesperson Zabihullah Mujahid had said, adding that Kabul’s negotiating team, led by Defence Minister "
         "Mullah Muhammad Yaqoob, had arrived in the Qatari capital.")
    spans = typed_spans(s, q)
    assert len(spans) >= 2
    a, b = best_span(s, spans, terms(q))
    assert s[a:b].endswith("Mullah Muhammad Yaqoob")


def test_which_district_wants_a_named_place_not_an_adjective():
    q = "In which district were the soldiers killed?"
    assert _texts("Troops raided hideouts near the Afghan border this week.", q) == []
    assert _texts("They were killed in the Orakzai district on Friday.", q) == ["Orakzai"]
    # A "where" question may be answered by a border area.
    assert _texts("Troops raided hideouts near the Afghan border this week.", "Where were hideouts raided?") == ["Afghan"]


@pytest.mark.parametrize("question, about_speech", [
    ("Which provincial legislator described the assault as an attack on civilians?", True),
    ("Who warned of an open war if the talks failed?", True),
    ("Which analyst told the AFP news agency that intelligence sharing would dominate?", True),
    ("What is the name of Pakistan's chargé d'affaires in Kabul?", False),
    ("Who commanded the troops during the operation?", False),
])
def test_only_questions_about_a_statement_take_the_speaker_from_the_next_sentence(question, about_speech):
    from rag.text import SPEECH

    assert bool(SPEECH.search(question)) == about_speech


def test_synonyms_share_terms():
    # A question worded differently from its source sentence still shares its words.
    assert set(terms("How did the premier describe the truce?")) >= set(terms("prime minister ceasefire"))
    assert set(terms("Pakistan's top diplomat")) == set(terms("Pakistan's foreign minister"))
    assert set(terms("an aerial attack on Afghan soil")) >= set(terms("airstrikes Afghanistan"))
    assert terms("the army seized weapons") == terms("the military recovered weapons") == terms("army confiscated weapons")
    # The longest phrase wins: "head of the army" is the army chief, not "lead" + "military".
    assert terms("head of the army") == terms("army chief")
    assert terms("imprisoned ex-premier") == terms("jailed former Prime Minister")
    assert terms("Islamabad's former envoy") == terms("Islamabad's former ambassador")
    assert terms("carry out an investigation") == terms("conduct an investigation")
    # A capital in the possessive stands for its country; the city itself stays a city.
    assert terms("Islamabad's defence chief") == terms("Pakistan's defence minister")
    assert terms("talks in Kabul") != terms("talks in Afghanistan")
    assert terms("Rawalpindi's generals") == terms("Pakistan's generals")  # the army's headquarters
    assert terms("which rival bankrolls the group") == terms("which archrival funds the group")
    # The Pakistani Taliban are the TTP; a phrase that stemming would shorten matches only as written.
    assert terms("the Pakistani Taliban") == terms("Tehrik-e-Taliban Pakistan") == terms("TTP")
    assert terms("stop at once") == terms("stop immediately")
    assert terms("called on Kabul") != terms("urged Kabul") and "call" in terms("a phone call")
    assert terms("they walked out of the deal") == terms("they abandoned the deal")
    assert terms("the outlawed group in resource-rich Balochistan") == terms("the banned group in mineral-rich Balochistan")
    assert terms("the initial raid") == terms("the first raid") and terms("a gun battle") == terms("a gunfight")
    assert terms("deaths were recorded") == terms("deaths were counted")
    assert set(terms("the minister for internal security")) == set(terms("the interior minister"))
    assert terms("fired at without provocation") == terms("shot at, unprovoked")
    assert terms("swore loyalty to him") == terms("pledged allegiance to him")
    assert terms("captured 25 posts") == terms("seized 25 outposts")
    assert terms("was forced out of office") == terms("was removed")
    assert terms("homes wrecked by warplane bombing") == terms("homes destroyed by jet bombardment")
    assert terms("driven militants funded from abroad") == terms("motivated militants sponsored from overseas")
    assert terms("they tried to sneak across") == terms("they tried infiltration")
    assert set(terms("the minister for internal affairs")) == set(terms("the interior minister"))
    assert terms("co-established a news site") == terms("co-founded a news outlet")
    assert terms("the ouster of Khan") == terms("the removal of Khan")
    assert terms("the most suitable mediators") == terms("the best suited mediators")[1:]
    speaker = "the presiding officer of the provincial legislature"
    assert set(terms(speaker)) == set(terms("the provincial assembly speaker"))
    # British and American spellings meet.
    assert terms("the programme at the centre") == terms("the program at the center")
    # Unrelated words stay apart.
    assert not set(terms("truce")) & set(terms("talks"))


@pytest.mark.parametrize("sentence, question, want", [
    ("They said the attacks concluded at midnight.", "At what time did the attacks end?", ["at midnight"]),
    ("The blast happened at 10:30 pm local time.", "At what time was the blast?", ["10:30 pm"]),
    ("Dar visited Kabul on 19th April 2025.", "On what date did Dar visit Kabul?", ["19th April 2025"]),
    ("The talks began on April 19th in Doha.", "When did the talks begin?", ["April 19th"]),
    # "Until what date" is the date after "until", not the day it was announced.
    ("On Friday, the service was suspended until August 31 before Thursday's holiday.",
     "Until what date was the service suspended?", ["August 31"]),
    ("Nearly three million Afghans face deportation.", "Roughly how many Afghans living in Pakistan face expulsion?",
     ["Nearly three million"]),
    ("Sharif announced a three-phase plan.", "In how many stages does the plan unfold?", ["three"]),
    # A number keeps its scale and currency, and "a million" is a number.
    ("At least 3 million Afghan refugees live there.", "How many Afghan refugees live there?", ["At least 3 million"]),
    ("Nearly a million Afghans have been sent back.", "How many Afghans have been sent back?",
     ["Nearly a million"]),
    ("Traders lose $1.5 billion a year, 12% more.", "How much do traders lose?", ["$1.5 billion", "12%"]),
    ("The army said it killed 24.", "How many did the army kill?", ["24"]),
    # Counts of different outcomes side by side: the number nearest the asked outcome.
    ("The attack killed seven soldiers and wounded 13 others.", "How many soldiers were wounded?", ["13"]),
    ("At least 135 people were killed and 173 injured.", "How many people were injured?", ["173"]),
    ("At least 135 people were killed and 173 injured.", "How many people were killed?", ["At least 135"]),
    # A number followed by other words of the question is not a count of the focus.
    ("Clashes killed 25 fighters, even as the two countries hold peace talks.",
     "How many fighters were killed during the peace talks?", ["25"]),
    # A count of other people does not answer: soldiers are not the fighters asked about.
    ("Eleven military personnel were killed in a gunfight with fighters.",
     "According to the army, how many fighters died in the gunfight?", []),
    ("The army said 19 fighters were also killed.", "According to the army, how many fighters died?", ["19"]),
    # Asked how many were hurt, a sentence that counts only the dead holds no answer.
    ("At least 24 people, including children, have been killed in explosions.",
     "How many people were injured in the explosions?", []),
    # The asked event's date is the one next to its words: the visit was "in April", on no named day.
    ("In a statement on Friday, Dar said ties have improved since his visit to Kabul in April.",
     "On what date did Dar visit Kabul?", []),
    ("On Friday, Dar recalled his very productive visit to Kabul on 19th April.", "On what date did Dar visit Kabul?",
     ["19th April"]),
    # "In what year" wants a year; a count is a bare number, not a length or "two of whom".
    ("The TTP walked out of the truce in 2022, on a Friday.", "In what year did the TTP abandon the truce?",
     ["in 2022"]),
    ("The ministry is deploying tanks along the 2,640km (1,640-mile) border.", "How many tanks were deployed?", []),
    ("At least 10 civilians were killed, along with 14 fighters, two of whom were commanders.",
     "How many children were killed?", []),
    ("Dozens of people were killed.", "How many people were killed?", ["Dozens"]),
    # Parts of dates and numbers the question states are not counts; "two of whom were X" counts X.
    ("A fighter walks past protesters in Kabul on September 7, 2021.", "How many fighters did Kabul lose?", []),
    ("Soldiers killed 54 fighters in April.", "How many soldiers died in the clash in which 54 fighters were killed?",
     []),
    ("At least 14 fighters were killed, two of whom were TTP commanders.",
     "How many TTP commanders were among the fighters killed?", ["two"]),
    ("Pakistan says its archrival India funds them.", "Which rival does Islamabad accuse of funding them?", ["India"]),
    ("He met Afghan Foreign Minister Amir Khan Muttaqi in Beijing.", "Which minister met Amir Khan Muttaqi?", []),
    # The outcome asked is the main clause's, not the relative clause's ("the clash that killed …").
    ("Among the dead were a colonel and nine other soldiers.",
     "How many soldiers were wounded in the clash that killed the colonel?", []),
    ("Clashes killed 23 of its fighters, the ministry said.", "How many of its own fighters were killed?", ["23"]),
    # A count of something the question does not ask about: Taliban are not the soldiers asked about.
    ("Soldiers in April killed 54 Pakistan Taliban.", "How many Pakistani soldiers were killed in the operation?", []),
    ("Nearly half were soldiers, according to the Islamabad-based Centre for Research and Security Studies.",
     "Who was the most senior officer among the soldiers?", []),
    ("He posted on X in Pashto and later in English.", "In which language did he post on X?", ["Pashto", "English"]),
    ("He posted on X that an explosion was heard.", "In which language did he post on X?", []),
])
def test_date_and_number_spans(sentence, question, want):
    assert _texts(sentence, question) == want


def test_counted_noun_may_be_named_by_the_sentence_before():
    q = "How many fighters were killed in South Waziristan?"
    s = "Thirteen more were killed in South Waziristan."
    assert typed_spans(s, q) == []
    assert [s[a:b] for a, b in typed_spans(s, q, before="Thirty fighters were killed in the north.")] == ["Thirteen"]
    # The sentence before does not make another counted noun count.
    s2 = "Twelve soldiers were killed in South Waziristan."
    assert typed_spans(s2, q, before="Thirty fighters were killed in the north.") == []


def test_keyword_expansion_adds_the_usual_word_once():
    from rag.text import expansions

    assert expansions("How did the premier describe the truce?").split() == ["ceasefire", "prime", "minister"]
    assert expansions("the ceasefire") == ""  # already the usual word
    assert expansions("Pakistani troops") == "soldier"  # a people's name is not expanded
    # Numbers are searched in both spellings.
    assert expansions("the 35 Khwarij") == "thirty five"
    assert expansions("thirty five Khwarij") == "35"
    assert expansions("in 2014") == ""  # a year is not spelled out


def test_numbers_in_words_and_digits_share_terms():
    assert terms("thirty five fighters") == terms("35 fighters")
    assert terms("eleven soldiers") == terms("11 soldiers")
    assert terms("twenty soldiers and five police") == ["20", "soldier", "5", "polic"]


def test_entity_lists_are_one_answer():
    s = "A truce was brokered in Doha by Qatar and Turkiye to end the clashes."
    assert _texts(s, "Who mediated the Doha talks?") == ["Qatar and Turkiye"]


def test_organisation_names_keep_their_joining_words():
    s = "Tens of thousands crossed, the United Nations International Organization for Migration (IOM) reported."
    assert "United Nations International Organization for Migration" in _texts(s, "Which UN body documented it?")
    # Armed movements are organisations; "The Taliban administration" at a sentence's start is not a name.
    q = "Which group claimed responsibility for the attack?"
    assert _texts("Fire broke out with banned groups such as the Pakistan Taliban, which claimed it.", q) == [
        "Pakistan Taliban"]
    assert _texts("The Taliban administration’s spokesman said 58 soldiers were killed.", q) == []


def test_question_names_are_the_proper_names_it_asks_about():
    assert question_names("How many Afghans did Khwaja Asif say Pakistan had sheltered?") == [
        "Afghans", "Khwaja Asif", "Pakistan"]
    assert question_names("Who died in the explosion at the market in Paktika?") == ["Paktika"]
    assert question_names("How many Pakistani soldiers died in the Zhob operation?") == ["Zhob"]
    # Not the first word, an adjective, a month, a hyphenated compound or a short acronym.
    assert question_names("Which French agency counted deaths in October at the Turkish-hosted UN talks?") == []
    assert question_names("How did the president describe the two South Asian neighbours?") == []
    assert question_names("What did Abbas Araghchi urge the South Asian neighbours to do?") == ["Abbas Araghchi"]


def test_transliterated_spellings_share_a_skeleton():
    assert skeleton("Khwaja") == skeleton("Khawaja")
    assert skeleton("Muttaqi") == skeleton("Mutaqi")
    assert skeleton("Mujahid’s") == skeleton("Mujahid")
    assert skeleton("Paktika") != skeleton("Pakistan")


def test_the_last_noun_of_a_compound_is_what_is_asked():
    assert question_type("Which Pakistani Foreign Ministry spokesperson said the talks failed?") == "person"
    assert question_type("Which militant group leader was killed?") == "person"
    assert question_type("Which Afghan border crossing was closed?") == "place"
    assert question_type("Which Islamabad-based think tank counted the deaths?") == "org"
    assert question_type("What grievance led the militant movement to quit the truce?") is None


def test_how_long_is_a_thing_asks_its_length_whatever_its_relative_clause_says():
    assert question_focus("How long is the frontier along which the fighting took place?")[0] == "number"
    assert question_focus("How long was that trip supposed to last?")[0] == "duration"
    assert question_focus("How long is the ceasefire expected to hold?")[0] == "duration"


def test_a_valley_or_province_is_a_place_name():
    s = "Bomb-making material exploded in the Tirah Valley region early on Monday."
    assert _texts(s, "In which region did the material explode?") == ["Tirah Valley"]


def test_a_capital_is_not_the_district_asked_for():
    s = "Talks were held in the Qatari capital, Doha, days after strikes in Kabul."
    assert "Kabul" not in _texts(s, "Which border crossing reopened first?")
    assert "Kabul" in _texts(s, "Which city was struck?")


def test_the_owner_of_a_team_named_before_a_comma_holds_its_office():
    s = "Kabul’s negotiating team, led by Defence Minister Mullah Muhammad Yaqoob, had arrived in Doha."
    assert _texts(s, "Which Qatari official chaired the Doha negotiations?") == []
    assert _texts(s, "Which Afghan minister led the team to Doha?") == ["Defence Minister Mullah Muhammad Yaqoob"]


def test_a_passage_set_in_another_city_does_not_answer_about_a_meeting_elsewhere():
    q = "Who led Pakistan's delegation at the Istanbul talks?"
    doha = "Both sides held peace talks in Doha on Saturday. Defence Minister Khawaja Asif led the discussions."
    assert other_venue(q, doha)
    assert not other_venue(q, doha + " A follow-up meeting is due in Istanbul.")
    assert other_venue("Who attended the talks in Istanbul?", "Talks were held in the Qatari capital, Doha.")
    # A capital as a government ("Islamabad's envoy", "the envoy in Kabul") is not a meeting's venue.
    assert not other_venue("What did Islamabad's envoy in Kabul say?", "He spoke in Doha on Friday.")
    # "before the Istanbul talks" dates what was said; it does not place it in Istanbul.
    assert not other_venue("Who said there was no attack in the days before the Istanbul talks?", doha)
    assert other_venue("Who said there was no attack during the Istanbul talks?", doha)
    # "the round after Istanbul" is not the meeting held in Istanbul.
    istanbul = "A follow-up meeting is scheduled to take place in the Turkish city of Istanbul on October 25."
    assert other_venue("On what date was the round of talks after Istanbul scheduled?", istanbul)
    assert not other_venue("On what date was the round of talks after Doha scheduled?", istanbul)
    # Only a meeting comes after a meeting: "in the days after the Doha talks" is a time.
    held_in_doha = "Talks were held in Doha."
    assert other_venue("Who spoke at the round of talks after the Doha talks?", held_in_doha)
    assert not other_venue("Who said there was no attack in the days after the Doha talks?", held_in_doha)
    # A host country names the venue too: Istanbul is in Turkey, Doha is not.
    turkey = "Who led the Taliban's team at the talks hosted in Turkey?"
    assert other_venue(turkey, held_in_doha)
    assert not other_venue(turkey, "Delegations arrived in Istanbul on Saturday.")
    assert not other_venue(turkey, "Kabul's delegation in Turkiye submitted a proposal.")
    # A country named in the text is no other city than the one asked.
    assert not other_venue("Who led the team at the Istanbul talks?", "Kabul's delegation in Turkiye submitted it.")


def test_a_count_of_the_first_of_several_events_is_told_where_first_is_said():
    q = "In the first of the two raids, the one in Bajaur, how many fighters were killed?"
    assert _texts("Forces raided two hideouts, in clashes that killed 12 soldiers and 35 fighters.", q) == []
    assert _texts("The military said 22 fighters were killed in the first raid in Bajaur.", q) == ["22"]
    # "the first three quarters" is a time, not one of several events.
    q = "How many fighters were killed in the first three quarters of the year?"
    assert _texts("Forces killed 35 fighters in the year's first nine months.", q) == ["35"]


def test_who_hosted_a_programme_is_answered_by_its_presenter():
    assert _texts("Presenter: Adrian Finighan", "Who hosted the Al Jazeera discussion programme on the truce?") \
        == ["Adrian Finighan"]


def test_a_leader_of_another_group_is_not_the_one_asked_for():
    s = "The last major strike in Kabul took place in 2022, when al-Qaeda leader Ayman al-Zawahiri was killed."
    assert _texts(s, "Who is the TTP leader reportedly targeted in the strikes on Kabul?") == []
    assert _texts(s, "Who is the Pakistani Taliban chief reportedly targeted?") == []
    assert _texts(s, "Which al-Qaeda leader was killed in 2022?") == ["Ayman al-Zawahiri"]
    assert _texts("Foreign Office spokesperson Tahir Andrabi said so.", "Which spokesperson for Pakistan's Foreign "
                                                                        "Ministry said so?") == ["Tahir Andrabi"]


def test_which_two_areas_after_a_preposition_wants_the_list_of_places():
    s = "The military said armed men attempted to cross from Afghanistan into Kurram and North Waziristan on Friday."
    assert _texts(s, "Into which two Pakistani areas did gunmen try to slip across?") == ["Kurram and North Waziristan"]


def test_a_name_given_in_a_date_question_is_not_its_event():
    q = "In which month did soldiers kill 54 fighters in what was called the bloodiest one-day clash of the year?"
    s = "Forces are operating in the province, where soldiers in April killed 54 fighters in the deadliest clash."
    assert _texts(s, q) == ["in April"]


def test_a_mediator_is_not_one_of_the_sides_that_talked_or_agreed():
    q = "Which two countries acted as mediators for the truce agreed in the Qatari capital?"
    assert _texts("After a round of negotiations between Pakistan and Afghanistan in Doha, the two sides agreed.", q) \
        == []
    assert _texts("The ministry said that Afghanistan and Pakistan had agreed to the ceasefire.", q) == []
    s = "Afghanistan and Pakistan have agreed to a ceasefire after talks mediated by Qatar and Turkiye."
    assert _texts(s, q) == ["Qatar and Turkiye"]
    # Any other country question still takes the sides.
    assert "Afghanistan and Pakistan" in _texts(s, "Which two countries agreed to a ceasefire?")


def test_which_air_base_wants_a_named_base():
    q = "From which Pakistani air base did the jets that struck Kabul take off?"
    assert question_focus(q)[0] == "place"
    assert _texts("Pakistani airforce struck targets in Kabul for the first time ever this week.", q) == []


def test_a_title_and_name_after_a_group_are_a_person_not_part_of_the_group():
    q = "Which Taliban official told a press briefing in New Delhi that the attacks had stopped?"
    s = "Taliban Foreign Minister Amir Khan Muttaqi confirmed in a news conference in New Delhi that attacks stopped."
    assert _texts(s, q) == ["Foreign Minister Amir Khan Muttaqi"]
    # A group's own name keeps its words: "Ministry of Foreign Affairs" names no person.
    assert _texts("The Ministry of Foreign Affairs said so.", "Which body said so?") == ["Ministry of Foreign Affairs"]


def test_what_something_is_called_is_the_name_after_called_or_before_its_description():
    q = "What is the frontier between the two countries called?"
    assert question_focus(q)[0] == "called"
    assert _texts("They clashed over their border, called the Durand Line, which Kabul rejects.", q) == ["Durand Line"]
    assert _texts("Pakistani air strikes hit along their contested frontier.", q) == []
    q = "What is the army's publicity arm called?"
    s = "The Inter-Services Public Relations (ISPR), the military’s media wing, said so."
    assert _texts(s, q) == ["Inter-Services Public Relations"]


def test_a_head_of_government_is_a_person():
    assert question_focus("Which Pakistani head of government backed the talks?")[0] == "person"
    assert question_focus("Which TTP head was the target of the strike?")[0] == "person"


def test_the_roles_a_sentence_names_someone_by():
    from rag.text import role_nouns

    s = "Their intended target was the leader of the TTP, travelling in a vehicle."
    assert role_nouns(s) == set(terms("leader"))
    assert role_nouns("head") == set(terms("head")) and role_nouns("official") == set()


def test_where_something_ranked_asks_for_an_ordinal():
    q = "In what position did Pakistan rank among countries naming an ambassador to Kabul?"
    assert question_focus(q)[0] == "ordinal"
    assert _texts("Pakistan is the fourth country to appoint an ambassador to Kabul.", q) == ["fourth"]
    assert question_focus("Where was Pakistan ranked among them?")[0] == "ordinal"
    assert question_focus("What rank does he hold?")[0] != "ordinal"


def test_what_toll_asks_for_a_number():
    assert question_focus("What death toll did the analyst cite for the week of bombing?")[0] == "number"


def test_a_group_known_by_an_acronym_is_answered_by_its_name_not_the_acronym():
    q = "Which armed group, known by the acronym TTP, does Pakistan blame for the attacks?"
    s = "Most attacks were claimed by the Pakistan Taliban, known as Tehrik-e-Taliban Pakistan (TTP)."
    assert "Pakistan Taliban" in _texts(s, q) and "TTP" not in _texts(s, q)


def test_a_news_site_is_an_organisation_and_a_site_a_place():
    assert question_focus("Which security-oriented news site did the analyst co-found?")[0] == "org"
    assert question_focus("Which site was struck?")[0] == "place"


def test_what_post_someone_holds_is_the_title_before_their_name_or_the_role_after_it():
    q = "What post does he hold in the Afghan government?"
    assert question_focus(q)[0] == "role"
    assert _texts("The delegation is led by Deputy Interior Minister Haji Najib.", q) == ["Deputy Interior Minister"]
    assert _texts("Mohsin Naqvi, the interior minister, said so.", q) == ["interior minister"]
    assert _texts("Haji Najib arrived on Saturday.", q) == []  # an honorific is part of a name, not a post


def test_the_name_of_a_building_is_its_name_not_its_town():
    q = "What was the name of the hospital in Chaman where the wounded were treated?"
    assert question_focus(q)[0] == "place"
    assert _texts("A man is taken for treatment at a hospital in Chaman, a town on the border.", q) == []
    assert _texts("He was treated at the Combined Military Hospital in Quetta.", q) == ["Combined Military Hospital"]
    assert question_focus("What is the name of the TTP chief?")[0] == "person"
    assert question_focus("What is the name of the border between the countries?")[0] == "called"


def test_what_part_of_a_place_asks_for_a_place():
    assert question_focus("In what part of Balochistan did the army stop the fighters?")[0] == "place"
    assert question_focus("In which part of Pakistan's southwestern province did troops operate?")[0] == "place"
    assert question_focus("Which part of the agreement was disputed?")[0] != "place"


def test_the_place_a_question_asks_within_is_not_its_answer():
    q = "Where in the southwestern province did soldiers stop the fighters?"
    assert _texts("Soldiers stopped fighters crossing into the southwestern province of Balochistan.", q) == []
    assert _texts("The operation took place in the Zhob district.", q) == ["Zhob"]
    # "Which southwestern province" asks for the province itself.
    q = "Into which southwestern province did the fighters cross?"
    assert _texts("Soldiers stopped fighters crossing into the southwestern province of Balochistan.", q) == \
        ["Balochistan"]


def test_a_city_is_not_the_crossing_asked_for():
    q = "Which border crossing was the first to reopen after the Doha ceasefire?"
    assert _texts("Countries hold talks in Istanbul to consolidate last week’s Doha ceasefire.", q) == []
    assert _texts("Trade resumed at the border crossing in Torkham after the ceasefire.", q) == ["Torkham"]


def test_a_demonym_is_not_the_crossing_or_district_asked_for():
    s = "After talks in the Qatari capital, Doha, traffic resumed at the Torkham crossing."
    assert _texts(s, "Which border crossing did Pakistan reopen?") == ["Torkham"]
    assert _texts("Fighting broke out near the Afghan border.", "Where did fighting break out?") != []


def test_a_seminary_town_is_a_town_not_a_seminary():
    s = "Muttaqi speaks to the media near an Islamic seminary in Deoband, Uttar Pradesh, India, on October 11."
    assert _texts(s, "Near which Islamic seminary town was Muttaqi photographed?") == ["Deoband"]
    assert _texts("He spoke at the Darul Uloom Seminary in Deoband.", "At which seminary did he speak?") == \
        ["Darul Uloom Seminary"]


def test_a_channel_named_in_capitals_is_an_organisation():
    s = "Afghanistan’s TOLOnews channel reported on Sunday that tanks were deployed."
    assert _texts(s, "Which Afghan TV channel reported the deployment?") == ["TOLOnews"]


def test_since_a_date_tells_when_something_began():
    q = "When did Islamabad begin its campaign of expelling Afghans?"
    assert _texts("Since November 2023, Islamabad has been carrying out a mass expulsion campaign.", q) == [
        "November 2023"]
    assert _texts("On Friday officials said the campaign was popular.", q) == []


def test_an_office_belongs_to_the_nearest_country_named_before_it():
    s = ("Pakistan’s Ministry of Foreign Affairs said earlier that the country’s defence minister, Khawaja Muhammad "
         "Asif, had led discussions.")
    assert _texts(s, "Which Qatari minister chaired the discussions?") == []
    assert _texts(s, "Which Pakistani minister led the discussions?") == ["Khawaja Muhammad Asif"]


def test_a_count_of_something_else_the_question_names_is_not_the_count_asked():
    q = "How many civilians were killed in the explosion at the market?"
    assert _texts("Kabul was rocked by two explosions, and another hit a civilian market.", q) == []
    assert _texts("Nine civilians were killed in the explosion.", q) == ["Nine"]


def test_a_count_asked_of_no_loss_is_not_a_count_of_the_killed():
    q = "How many TTP fighters are estimated to be based in Afghanistan?"
    assert _texts("Soldiers in April killed 54 Pakistan Taliban in the deadliest clash.", q) == []
    assert _texts("About 6,000 TTP fighters are based in Afghanistan.", q) == ["About 6,000"]
    # Soldiers "lost" are the dead, not the wounded.
    q = "How many Afghan soldiers did the Taliban say they lost?"
    assert _texts("Mujahid said Afghan forces wounded 30 soldiers.", q) == []


def test_the_word_someone_used_is_a_quoted_term_or_a_name_inside_a_quote():
    q = "What label did Pakistan's armed forces give to the militants who tried to slip across?"
    assert question_focus(q)[0] == "term"
    assert _texts("The military described those involved as members of what it calls “Fitna al-Khwarij”.", q) == \
        ["Fitna al-Khwarij"]
    assert _texts("The military said armed men attempted to cross from Afghanistan.", q) == []
    q = "What name did the Taliban spokesman use for Afghanistan's government?"
    assert _texts("It is “the consistent stance of the Islamic Emirate” he said.", q) == ["Islamic Emirate"]


def test_a_range_of_months_is_not_one_month_the_text_must_name():
    s = "The first three-quarters of this year have seen a 46 percent surge in violence, the CRSS said."
    assert _texts(s, "By what percentage did violence rise in January to September, according to the CRSS?") == \
        ["46 percent"]
    q = "By what percentage did violence rise in September, according to the CRSS?"
    assert typed_spans(s, q, months=frozenset({"oct"})) == []


def test_on_what_exact_date_wants_a_day():
    q = "On what exact date in December 2024 did Pakistan carry out its previous airstrike?"
    assert question_focus(q)[0] == "date"
    assert _texts("Pakistan conducted airstrikes, the most recent one in December 2024.", q) == []


def test_which_role_asks_for_a_name_not_the_role():
    s = "Their intended target in Kabul was the leader of the TTP, who was travelling in a vehicle."
    assert _texts(s, "Whom were the strikes meant to hit?") == ["the leader of the TTP"]
    assert _texts(s, "Which TTP chief was the target of the strike?") == []


def test_a_teller_set_off_by_commas_speaks_for_its_side():
    q = "How many of its soldiers did the Pakistani military admit were killed?"
    s = "The Taliban administration’s spokesman, Zabihullah Mujahid, said at least 58 Pakistani soldiers were killed."
    assert _texts(s, q) == []
    assert _texts("The Pakistani military admitted 23 of its soldiers were killed.", q) == ["23"]


def test_what_one_side_said_is_not_quoted_from_another():
    q = "How did Islamabad's top diplomat characterise the truce reached in the Qatari capital?"
    assert other_speaker("“The two sides agreed to a ceasefire,” Qatar’s Foreign Ministry announced.", q)
    assert other_speaker("“Talks will take place,” Afghan government spokesperson Zabihullah Mujahid had said.", q)
    assert not other_speaker("Pakistan’s Foreign Minister Ishaq Dar said the truce was “the first step”.", q)
    assert not other_speaker("“It is the first step,” he said.", q)  # no side named: not ruled out
    assert not other_speaker("“The two sides agreed,” Qatar’s Foreign Ministry announced.", "What did Qatar say?")


def test_a_person_asked_about_by_name_speaks_for_the_side_the_articles_give_them():
    people = people_sides(["Pakistan’s Deputy Prime Minister and Foreign Minister Ishaq Dar said the truce held.",
                           "Zabihullah Mujahid, the Taliban spokesperson, said the deal was signed.",
                           "The talks ended, Sinem Koseoglu reported."])
    assert people == {"Dar": {"pakistan"}, "Mujahid": {"afghanistan"}}
    # A surname two people share tells no one's side; one person's spellings and titles are still one person.
    shared = ["Ihsanullah Tipu Mehsud, an Islamabad-based security analyst, said so.",
              "Al Jazeera could not verify if the leader, Noor Wali Mehsud, had survived.",
              "Pakistan’s Defence Minister Khwaja Asif wrote on X.", "Khawaja Muhammad Asif said it held."]
    assert people_sides(shared) == {"Asif": {"pakistan"}}
    q = "How did Ishaq Dar describe the truce?"
    assert other_speaker("“The two sides agreed to a ceasefire,” Qatar’s Foreign Ministry announced.", q, people=people)
    assert not other_speaker("“The two sides agreed to a ceasefire,” Qatar’s Foreign Ministry announced.", q)
    assert not other_speaker("“It is the first step,” Pakistan’s foreign office said.", q, people=people)
    # Nor is a surname the sentence gives no side the answer about another side's official.
    q = "What is the name of the Saudi foreign minister who urged restraint?"
    s = "“Both sides must exercise restraint,” Araghchi said."
    iran = {"Araghchi": frozenset({"iran"})}
    assert typed_spans(s, q, people=iran) == [] and typed_spans(s, "Who urged restraint?", people=iran) != []
    assert typed_spans("“Both sides must exercise restraint,” Saudi Foreign Minister Faisal bin Farhan said.", q,
                       people=iran) != []
    # Someone the articles give no side to is not ruled out by anyone.
    assert not other_speaker("“It held,” Qatar said.", "How did Koseoglu describe it?", people=people)



def test_a_verb_ends_the_counted_noun_phrase():
    # "how many people *lost* their lives" counts people (any), not "lost"s.
    q = "How many people lost their lives in the blasts at the compound?"
    assert question_focus(q) == ("number", frozenset())
    assert _texts("At least 24 people, including children, have been killed in explosions.", q) == ["At least 24"]
    assert question_focus("How many soldiers fled the post?") == ("number", frozenset(terms("soldiers")))


def test_when_violence_erupted_is_the_date_next_to_erupted():
    q = "On what date did the cross-border violence that preceded the ceasefire erupt?"
    assert _texts("The violence erupted on October 11 at multiple fronts along the border.", q) == ["October 11"]
    assert _texts("The discussions, which began on Saturday, come days after a truce.", q) == []


def test_a_question_for_someones_name_wants_a_name_not_a_role():
    assert question_focus("What is that leader's name?")[0] == "person"
    assert question_focus("What was the group's name?")[0] == "org"
    s = "Their intended target in Kabul was the leader of the TTP, who was travelling in a vehicle."
    assert _texts(s, "Who was the intended target in Kabul?") == ["the leader of the TTP"]
    assert _texts(s, "What is that man's name?") == []
    assert _texts("The leader, Noor Wali Mehsud, had survived.", "What is that leader's name?") == ["Noor Wali Mehsud"]


def test_a_surname_after_a_quote_answers_only_who_said_it():
    s = "“If TTP leaders have indeed been targeted inside Kabul, that would serve as a warning,” Bahiss said."
    assert _texts(s, "What is the name of the TTP chief who was the target of the strikes?") == []
    assert _texts(s, "Who said the strikes would serve as a warning?") == ["Bahiss"]
    # A full name is introduced, not only quoted: it may answer more.
    s = "“The talks were fruitful,” Tahir Andrabi said."
    assert _texts(s, "Who is the Foreign Ministry spokesperson?") == ["Tahir Andrabi"]


def test_a_saudi_minister_is_not_the_afghan_one():
    s = "India, which is hosting Afghan Foreign Minister Amir Khan Muttaqi, has yet to comment on the clashes."
    assert _texts(s, "What is the name of the Saudi foreign minister who called for restraint?") == []
    assert _texts(s, "Which Afghan minister is visiting India?") == ["Foreign Minister Amir Khan Muttaqi"]
