"""Chunking: token limits in the embedder's own tokenizer, coverage, offsets, article boundaries."""

from __future__ import annotations

import pytest

from rag.chunking import chunk_corpus, chunk_document, count_tokens
from rag.settings import Settings
from rag.sources import load_corpus
from rag.types import Document, Sentence
from tests.conftest import SEED

S = Settings()


@pytest.fixture(scope="module")
def docs():
    return load_corpus(SEED.parent, SEED.parents[1])


@pytest.fixture(scope="module")
def chunks(docs):
    return chunk_corpus(docs, S.chunk_tokens, S.chunk_overlap, S.encoding)


def test_offline_encoding_counts_tokens():
    assert count_tokens("Pakistan and Afghanistan agreed to a ceasefire.", S.encoding) > 5


def test_chunks_fit_the_embedding_model_window(chunks):
    """No chunk is longer than MiniLM's 256 word pieces, so nothing is silently truncated."""
    from transformers import AutoTokenizer

    from rag.embedding import resolve_model_path

    tok = AutoTokenizer.from_pretrained(resolve_model_path(S.embedder))
    longest = max(len(tok(c.text)["input_ids"]) for c in chunks)
    assert longest <= 256
    assert all(c.n_tokens <= S.chunk_tokens for c in chunks)


def test_every_sentence_is_in_a_chunk(docs, chunks):
    in_chunks = {sid.split(".s")[0] + ".s" + sid.split(".s")[1].split(".")[0] for c in chunks for sid in c.sent_ids}
    for d in docs:
        for s in d.sentences:
            assert s.sent_id in in_chunks


def test_chunk_text_matches_file_offsets(docs, chunks):
    text = open(SEED, encoding="utf-8").read()
    sents = {s.sent_id: s for d in docs for s in d.sentences}
    for c in chunks:
        span = text[c.start:c.end]
        parts = [sents[sid].text if sid in sents else None for sid in c.sent_ids]
        # Documented relation: chunk.text is its sentences joined by one space, each found in order in the span.
        if None not in parts:
            assert c.text == " ".join(parts)
        pos = 0
        for piece in c.text.split(" "):
            found = span.find(piece, pos)
            assert found >= 0
            pos = found + len(piece)
        assert span.startswith(c.text.split(" ")[0]) and span.endswith(c.text.split(" ")[-1])


def test_no_chunk_crosses_an_article(docs, chunks):
    by_id = {d.doc_id: d for d in docs}
    for c in chunks:
        d = by_id[c.doc_id]
        assert d.start <= c.start < c.end <= d.end
        assert all(sid.startswith(c.doc_id + ".") for sid in c.sent_ids)


def test_consecutive_chunks_overlap(docs):
    doc = max(docs, key=lambda d: len(d.sentences))
    cs = chunk_document(doc, 120, 40, S.encoding)
    assert len(cs) > 2
    shared = [bool(set(a.sent_ids) & set(b.sent_ids)) for a, b in zip(cs, cs[1:])]
    assert sum(shared) >= len(shared) / 2  # a sentence longer than the overlap is not repeated
    no_overlap = chunk_document(doc, 120, 0, S.encoding)
    assert all(not set(a.sent_ids) & set(b.sent_ids) for a, b in zip(no_overlap, no_overlap[1:]))


def test_chunk_ids_are_stable_and_content_derived(docs):
    a = chunk_corpus(docs, 160, 40, S.encoding)
    b = chunk_corpus(docs, 160, 40, S.encoding)
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    assert len({c.chunk_id for c in a}) == len(a)
    assert {c.chunk_id for c in chunk_corpus(docs, 100, 20, S.encoding)}.isdisjoint({c.chunk_id for c in a})


def test_overlong_sentence_is_split_with_exact_offsets():
    words = " ".join(f"word{i}" for i in range(400)) + "."
    text = "Head line here.\n" + words + "\n"
    s = Sentence("x#01.s001", "x#01", 16, 16 + len(words), words)
    doc = Document("x#01", "x.txt", "Head", None, 0, len(text), "0", (s,))
    cs = chunk_document(doc, 50, 10, S.encoding)
    assert len(cs) > 4 and all(c.n_tokens <= 50 for c in cs)
    for c in cs:
        assert text[c.start:c.end] == c.text


def test_bad_chunk_settings_are_refused(docs):
    with pytest.raises(ValueError):
        chunk_document(docs[0], 50, 60, S.encoding)
