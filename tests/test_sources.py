"""Corpus loading: article splitting, furniture, captions, offsets, bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rag.sources import CorpusError, load_corpus, split_sentences
from tests.conftest import SEED

FURNITURE = re.compile(r"^(Share|Recommended Stories|list of \d+ itemsend of list|Published On .*|— .*\(@\w+\).*)$")


@pytest.fixture(scope="module")
def docs():
    return load_corpus(SEED.parent, SEED.parents[1])


@pytest.fixture(scope="module")
def text() -> str:
    return open(SEED, encoding="utf-8").read()


def test_shipped_file_splits_into_dated_articles(docs):
    assert 10 <= len(docs) <= 20
    assert len({d.doc_id for d in docs}) == len(docs)
    dated = {d.title: d.date for d in docs if d.date}
    assert "2025-10-26" in dated.values() and "2025-09-23" in dated.values()
    first = docs[0]
    assert first.title.startswith("Fighting comes as Taliban submits proposal")
    assert first.date == "2025-10-26"
    # Articles are in file order and do not overlap.
    for a, b in zip(docs, docs[1:]):
        assert a.end <= b.start


def test_a_two_sentence_deck_that_restates_the_lede_starts_an_article(docs):
    """An article with no date line or related-stories box starts at its deck; the deck's first sentence titles it."""
    deck = next(d for d in docs if d.title.startswith("Deadly clashes erupted overnight"))
    assert deck.title.endswith("outposts.")  # the first of the deck's two sentences
    assert deck.date is None
    assert deck.sentences[0].text == deck.title
    # What the article reports is cited under its own headline, not the previous article's.
    assert any("Abbas Araghchi" in s.text for s in deck.sentences)
    before = docs[docs.index(deck) - 1]
    assert not any("Deadly clashes erupted" in s.text for s in before.sentences)


def test_a_deck_above_a_short_first_paragraph_starts_an_article(docs):
    """The deck is compared with the next two lines when the first paragraph is one short sentence."""
    page = next(d for d in docs if d.title.startswith("The neighbours have agreed to an immediate ceasefire"))
    assert page.date is None
    assert any(s.text == "Presenter: Adrian Finighan" for s in page.sentences)


def test_a_two_sentence_body_paragraph_is_not_a_deck():
    from rag.sources import split_articles

    body = ("Pakistan and Afghanistan met in Doha on Saturday for talks on the border. Both sides sent their "
            "defence ministers to the Qatari capital for the meeting, officials said on Friday.")
    text = "\n".join([
        "Talks open in Doha as both sides seek an end to border fighting.", "Published On 18 Oct 2025",
        "The two neighbours opened talks in the Qatari capital on Saturday after a week of border fighting.",
        "Officials from both sides arrived in Doha on Friday, and the talks began on Saturday morning.",
        "Pakistan sent its defence minister, and Afghanistan sent a delegation led by its defence minister.",
        "The fighting along the border killed dozens of people before the talks.",
        "Qatar and Turkiye mediated the meeting between the two sides in Doha.",
        body,
        "Pakistan and Afghanistan met in Doha on Saturday for talks on the border, which both sides sent their "
        "defence ministers to attend, officials said, describing the meeting as a first step.",
    ])
    assert len(split_articles(text, "t.txt", "")) == 1


def test_sentence_offsets_are_exact(docs, text):
    for d in docs:
        assert d.path == "seeds/000_b618c8a8dae0761b.txt"
        for s in d.sentences:
            assert text[s.start:s.end] == s.text
            assert d.start <= s.start < s.end <= d.end
            assert s.text == s.text.strip() and s.text


def test_furniture_never_reaches_a_sentence(docs):
    for d in docs:
        for s in d.sentences:
            assert not FURNITURE.match(s.text), s.text
            assert "itemsend of list" not in s.text


def test_every_content_line_is_covered(docs, text):
    covered = [(s.start, s.end) for d in docs for s in d.sentences]
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not FURNITURE.match(stripped):
            start = pos + line.index(stripped)
            # Every non-space character of the line lies inside some sentence.
            for i in range(start, start + len(stripped)):
                if not text[i].isspace():
                    assert any(a <= i < b for a, b in covered), (stripped[:60], i)
        pos += len(line) + 1


def test_captions_are_marked(docs):
    captions = [s for d in docs for s in d.sentences if s.caption]
    assert len(captions) >= 3
    assert all(re.search(r"\[[^\]]*(Photo|Reuters|AFP)\]$", s.text) for s in captions)
    assert not any(s.text.endswith("Photo]") for d in docs for s in d.sentences if not s.caption)


def test_split_sentences_handles_quotes_and_abbreviations():
    t = "He said “we want peace.” Then Lt. Col. Arif left at 10 a.m. on Monday. U.S. officials agreed."
    parts = [t[a:b] for a, b in split_sentences(t)]
    assert parts[0] == "He said “we want peace.”"
    assert parts[1].startswith("Then Lt. Col. Arif")
    assert all(p.strip() == p for p in parts)


def test_crlf_file_offsets_follow_python_reading(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "w.txt").write_bytes("A headline line here.\r\nFirst sentence is here. Second one too.\r\n".encode())
    docs = load_corpus(seeds, tmp_path)
    text = open(seeds / "w.txt", encoding="utf-8").read()
    assert all(text[s.start:s.end] == s.text for d in docs for s in d.sentences)


@pytest.mark.parametrize("content,message", [
    (b"\x00\x01binary\x00", "binary"),
    (b"caf\xe9 latin-1 text", "not valid UTF-8"),
])
def test_bad_seed_files_are_refused(tmp_path: Path, content: bytes, message: str):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.txt").write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        load_corpus(seeds, tmp_path)


def test_empty_seeds_folder_is_refused(tmp_path: Path):
    (tmp_path / "seeds").mkdir()
    with pytest.raises(CorpusError, match="no .txt or .md files"):
        load_corpus(tmp_path / "seeds", tmp_path)


def test_zero_byte_file_yields_nothing(tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "ok.md").write_text("# Title\n\nOne sentence here. Another one.\n", encoding="utf-8")
    docs = load_corpus(seeds, tmp_path)
    assert [d.path for d in docs] == ["seeds/ok.md"]
    assert docs[0].title == "Title"
