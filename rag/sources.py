"""Read seed files and split them into articles and sentences with file offsets."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rag.types import Document, Sentence

SEED_SUFFIXES = (".txt", ".md")
MAX_SEED_BYTES = 20 * 1024 * 1024

_PUBLISHED = re.compile(r"^(?:Published|Updated|Last updated) On (\d{1,2} [A-Z][a-z]{2,8} \d{4})")
_FURNITURE = re.compile(
    r"^(?:Share|Save|Recommended Stories|list of \d+ items?(?:end of list)?|end of list|Advertisement|Click here to share on social media)$",
    re.IGNORECASE,
)
# An embedded post's attribution line ("— Ministry of … (@handle) October 18, 2025") is page furniture.
_EMBED_CREDIT = re.compile(r"^[—–-]\s.*\(@\w+\)")
_CAPTION = re.compile(r"\[[^\[\]]*\b(?:Photo|Reuters|AFP|Getty Images|File)\]\s*$")
# A sentence ends at . ? ! (optionally followed by closing quotes or brackets) and whitespace,
# when the next sentence starts with a capital, a digit or an opening quote.
_SENT_END = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|St|Jr|Sr|No|vs|etc|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$"
)
_WORD = re.compile(r"[a-z0-9]+")


class CorpusError(Exception):
    """A seed folder or file that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def seed_files(seeds_dir: Path) -> list[Path]:
    """Every seed file under ``seeds_dir``, sorted; raises CorpusError when there are none."""
    if not seeds_dir.is_dir():
        raise CorpusError(f"seeds folder not found: {seeds_dir}")
    files = sorted(p for p in seeds_dir.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(seeds_dir).parts))
    if not files:
        raise CorpusError(f"no .txt or .md files in {seeds_dir}: add documents to index")
    return files


def read_seed(path: Path) -> tuple[str, str]:
    """Return ``(text, sha256)`` of a seed file as Python reads it; raises CorpusError when unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_SEED_BYTES:
            raise CorpusError(f"{path}: {size // (1024 * 1024)} MB is over the {MAX_SEED_BYTES // (1024 * 1024)} MB limit for one seed file")
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from exc
    if b"\x00" in raw:
        raise CorpusError(f"{path}: looks like a binary file (NUL bytes); only UTF-8 text is indexed")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8") from exc
    # Offsets index the text exactly as ``open(path, encoding="utf-8").read()`` returns it.
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return text, hashlib.sha256(raw).hexdigest()


def load_corpus(seeds_dir: Path, root: Path) -> list[Document]:
    """All articles of all seed files, in file order."""
    docs: list[Document] = []
    for path in seed_files(seeds_dir):
        text, sha = read_seed(path)
        docs.extend(split_articles(text, relative_path(path, root), sha))
    return docs


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form (as citations show it), or as given when outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _lines(text: str) -> Iterator[_Line]:
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            yield _Line(pos + lead, pos + lead + len(stripped), stripped)
        pos += len(raw) + 1


def _words(text: str) -> set[str]:
    # Crude 5-letter stems are enough to compare a deck line with the paragraphs around it.
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 3}


def _is_deck(lines: list[_Line], j: int) -> bool:
    """A standalone summary line (headline/deck) that starts an unmarked article."""
    line = lines[j]
    if j == 0 or j + 1 >= len(lines) or len(line.text) > 320 or not line.text.endswith("."):
        return False
    if any(q in line.text for q in "“”\"‘[") or _CAPTION.search(line.text):
        return False
    nxt = lines[j + 1].text
    if len(nxt) < 150:
        # A short first paragraph: the lede is the next two lines.
        nxt = " ".join(x.text for x in lines[j + 1:j + 3])
        if len(nxt) < 150:
            return False
    mine = _words(line.text)
    ahead = len(mine & _words(nxt))
    behind = len(mine & _words(" ".join(x.text for x in lines[max(0, j - 3):j])))
    # A one-line deck shares a few words with the lede below it; a two-sentence deck restates the lede.
    return ahead >= (3 if len(line.text) <= 160 else 8) and ahead > 2 * behind


def _parse_date(s: str) -> str | None:
    for fmt in ("%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def split_articles(text: str, path: str, sha256: str) -> list[Document]:
    """Split one seed file into articles, dropping page furniture and keeping offsets."""
    all_lines = list(_lines(text))
    content: list[_Line] = []
    starts: dict[int, tuple[str | None, str | None]] = {}  # content index -> (title, date)
    for line in all_lines:
        m = _PUBLISHED.match(line.text)
        if m:
            # The headline/deck line sits right above the date line.
            k = max(len(content) - 1, 0)
            title = content[k].text if content else None
            starts[k] = (title, _parse_date(m.group(1)))
            continue
        if line.text.lower() == "recommended stories":
            # The related-links box follows an article's second paragraph.
            k = max(len(content) - 2, 0)
            if not any(k - 3 <= s <= k for s in starts):
                if k > 0 and _is_deck_line(content[k - 1].text):
                    k -= 1
                    starts[k] = (content[k].text, None)
                else:
                    starts[k] = (None, None)
            continue
        if _FURNITURE.match(line.text) or _EMBED_CREDIT.match(line.text):
            continue
        content.append(line)
    for j in range(len(content)):
        if j not in starts and all(abs(j - s) > 4 for s in starts) and _is_deck(content, j):
            starts[j] = (_deck_title(content[j].text), None)
    starts.setdefault(0, (None, None))

    stem = Path(path).stem
    bounds = sorted(starts)
    docs: list[Document] = []
    for n, k in enumerate(bounds):
        end_k = bounds[n + 1] if n + 1 < len(bounds) else len(content)
        lines = content[k:end_k]
        if not lines:
            continue
        title, date = starts[k]
        doc_id = f"{stem}#{n + 1:02d}"
        sentences = tuple(_sentences(text, lines, doc_id))
        if not title:
            title = _default_title(sentences[0].text if sentences else stem)
        docs.append(Document(doc_id, path, title.lstrip("# ").strip(), date, lines[0].start, lines[-1].end, sha256, sentences))
    return docs


def _deck_title(deck: str) -> str:
    """A deck's first sentence, when the deck has two."""
    spans = split_sentences(deck)
    return deck[spans[0][0]:spans[0][1]] if len(spans) > 1 else deck


def _is_deck_line(s: str) -> bool:
    return len(s) <= 160 and s.endswith(".") and not any(q in s for q in "“”\"")


def _default_title(first: str) -> str:
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def _sentences(text: str, lines: list[_Line], doc_id: str) -> Iterator[Sentence]:
    n = 0
    for line in lines:
        caption = bool(_CAPTION.search(line.text))
        spans = [(line.start, line.end)] if caption else split_sentences(line.text, line.start)
        for s, e in spans:
            n += 1
            yield Sentence(f"{doc_id}.s{n:03d}", doc_id, s, e, text[s:e], caption)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph, shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _SENT_END.finditer(text):
        cut = m.end() - len(m.group()) + len(m.group().rstrip())
        if _ABBREV.search(text[begin:m.start() + 1]):
            continue
        if cut - begin > 0:
            spans.append((begin, cut))
        begin = m.end()
    if begin < len(text) and text[begin:].strip():
        spans.append((begin, len(text.rstrip())))
    return [(offset + s, offset + e) for s, e in spans]
