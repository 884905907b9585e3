"""How articles introduce people, and how a later mention by surname carries that introduction."""

from __future__ import annotations

from rag.people import described, introductions

ARTICLE = [
    ("a", "Asif Durrani, a former Pakistani ambassador and special representative to Afghanistan, told Al Jazeera "
          "the risk was small."),
    ("a", "On Friday, a suicide attack near the border killed seven soldiers."),
    ("a", "Chaman, a town on the Pakistan side of the border, was quiet."),
    ("a", "“Afghanistan does not have any conventional military capacity,” Durrani said."),
    ("b", "Durrani, the provincial governor, said nothing."),
]


def test_an_introduction_names_a_role():
    people = introductions(ARTICLE)
    assert people["a"] == {"Durrani": ["a former Pakistani ambassador and special representative to Afghanistan"]}
    # "On Friday, a suicide attack …" and "Chaman, a town …" introduce no one; each article has its own people.
    assert people["b"] == {"Durrani": ["the provincial governor"]}


def test_a_later_mention_by_surname_carries_the_introduction():
    people = introductions(ARTICLE)["a"]
    assert described(ARTICLE[3][1], people) == [people["Durrani"][0]]
    assert described(ARTICLE[0][1], people) == []  # the introduction itself already says it
    assert described("Asif said the talks would resume.", people) == []


def test_an_undated_article_between_two_of_one_month_in_a_feed_was_published_that_month():
    from rag.answering import _publication_months
    from rag.index import DocMeta

    def doc(n: int, date: str | None, path: str = "seeds/feed.txt") -> DocMeta:
        return DocMeta(f"feed#{n}", path, "title", date, 0, 1)

    months = _publication_months([doc(1, "2025-10-26"), doc(2, None), doc(3, "2025-10-08"), doc(4, None),
                                  doc(5, "2025-09-23"), doc(6, None), doc(7, None, "seeds/other.txt")])
    assert months["feed#1"] == months["feed#2"] == {"oct"}
    assert "feed#4" not in months  # between October and September: either
    assert "feed#6" not in months and "feed#7" not in months  # nothing dated after it
