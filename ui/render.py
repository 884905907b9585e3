"""HTML for chat messages and the source panel.

Every string that comes from a user or a document goes through :func:`esc`, so a question or an
article holding ``<script>`` is shown as text and never run. The functions take ``Answer.to_dict()``
objects (what the session keeps) and return HTML strings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date as _date
from typing import Any

FileText = Callable[[str], str]
DocTitle = Callable[[str], str]

_MARKER = re.compile(r"\[(\d+)\]")
_TOKEN = re.compile(r"\S+\s*|\s+")
# A paragraph longer than this is cut around the quote so the panel stays readable.
MAX_CONTEXT = 700
USER_PREVIEW = 400


def esc(value: object) -> str:
    """Escape text for HTML content and attribute values; ``$``, ``{`` and backticks too."""
    s = html.escape(str(value), quote=True)
    # Neutralise template syntax as well, in case a front end ever interpolates the markup.
    return s.replace("$", "&#36;").replace("{", "&#123;").replace("}", "&#125;").replace("`", "&#96;")


def tokens(text: str) -> list[str]:
    """Words with their trailing spaces, for streaming a finished answer word by word."""
    return _TOKEN.findall(text)


def nice_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        d = _date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%b %Y')}"


def source_id(turn: int, key: str | int) -> str:
    return f"src-{turn}-{key}"


def _chip(turn: int, key: str, label: str, cite: Mapping[str, Any], extra: str = "") -> str:
    title = cite.get("title") or ""
    when = nice_date(cite.get("date"))
    tip = f"{title} ({when})" if when else title
    # The chat sanitizer keeps only class, href and title: the script reads turn and key from the href.
    return (f'<a class="cite{extra}" href="#{source_id(turn, key)}" title="{esc(tip)}">{esc(label)}</a>')


def linkify(text: str, citations: Sequence[Mapping[str, Any]], turn: int) -> str:
    """Escape ``text`` and turn each ``[n]`` that names a citation into a clickable chip."""
    by_n = {int(c["n"]): c for c in citations}
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if n not in by_n:
            continue
        before = text[pos:m.start()]
        out.append(esc(before.rstrip(" ")))  # the chip sits against its sentence, like a footnote
        out.append(_chip(turn, str(n), str(n), by_n[n]))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------- chat messages

def user_html(question: str) -> str:
    q = question if len(question) <= USER_PREVIEW else question[:USER_PREVIEW] + "…"
    extra = ""
    if len(question) > USER_PREVIEW:
        extra = f'<span class="q-more">({len(question):,} characters)</span>'
    return f'<div class="q">{esc(q)}{extra}</div>'


def pending_html() -> str:
    return ('<div class="ans pending" aria-live="polite"><span class="dots"><i></i><i></i><i></i></span>'
            "Searching the articles…</div>")


def error_html(message: str, title: str = "Can’t ask that") -> str:
    msg = message.strip()
    msg = msg[:1].upper() + msg[1:]
    if msg and msg[-1] not in ".!?":
        msg += "."
    return (f'<div class="ans error" role="alert"><div class="badge badge-error">{esc(title)}</div>'
            f'<p class="ans-text">{esc(msg)}</p></div>')


def answer_html(d: Mapping[str, Any], turn: int, words: int | None = None) -> str:
    """One assistant message; ``words`` cuts the answer text short while it streams in."""
    if d.get("abstained"):
        return abstention_html(d, turn)
    text = d["answer"]
    streaming = words is not None
    if streaming:
        text = "".join(tokens(text)[:words])
    parts = [f'<div class="ans turn-{turn}{" streaming" if streaming else ""}">',
             f'<p class="ans-text">{linkify(text, d["citations"], turn)}</p>']
    if not streaming:
        parts.append(_footer(d, turn))
    parts.append("</div>")
    return "".join(parts)


def abstention_html(d: Mapping[str, Any], turn: int) -> str:
    parts = [f'<div class="ans abstain turn-{turn}">',
             '<div class="badge badge-abstain">Not in the documents</div>',
             f'<p class="ans-text">{esc(d["answer"])}</p>']
    related = d.get("related") or []
    if related:
        chips = " ".join(_chip(turn, f"r{c['n']}", str(c["n"]), c, " rel") for c in related)
        parts.append(f'<p class="related">Closest passages, which do not answer it: {chips}</p>')
    parts.append(_footer(d, turn))
    parts.append("</div>")
    return "".join(parts)


def _footer(d: Mapping[str, Any], turn: int) -> str:
    bits = []
    if d.get("short_answer"):
        bits.append(f'<p class="short"><span class="label">Short answer</span> {esc(d["short_answer"])}</p>')
    meta = []
    n = len(d.get("citations") or [])
    if n:
        meta.append(f"{n} source{'s' if n != 1 else ''}")
    meta.append(esc(d.get("mode") or "extractive"))
    total = (d.get("timings_ms") or {}).get("total")
    if total is not None:
        meta.append(f"{total / 1000:.2f} s")
    meta_html = f'<span class="meta">{" · ".join(meta)}</span>'
    query = d.get("query") or ""
    if query and query != d.get("question"):
        bits.append(f'<details class="rewrite"><summary>{meta_html}<span class="rw-toggle">searched as…</span>'
                    f'</summary><div class="rw-body">Follow-up rewritten for search: '
                    f'<code>{esc(query)}</code></div></details>')
    else:
        bits.append(f'<div class="foot">{meta_html}</div>')
    if d.get("notice"):
        bits.append(f'<p class="notice">{esc(d["notice"])}</p>')
    return "".join(bits)


# ---------------------------------------------------------------- source panel

EMPTY_PANEL = (
    '<div class="panel empty"><div class="panel-title">Sources</div>'
    '<p>Every answer quotes the articles word for word. Click a numbered marker '
    '<span class="cite demo">1</span> in an answer to see the quoted sentence in its article, '
    "with the exact file and character offsets.</p></div>"
)


def context_html(text: str, start: int, end: int, highlight: Sequence[int] | None = None) -> str:
    """The paragraph (line) around ``text[start:end]`` with the quote in ``<mark>`` and the phrase in ``<strong>``."""
    p0 = text.rfind("\n", 0, start) + 1
    p1 = text.find("\n", end)
    p1 = len(text) if p1 < 0 else p1
    lead, tail = "", ""
    if start - p0 > MAX_CONTEXT // 2:
        p0 = _word_start(text, start - MAX_CONTEXT // 2)
        lead = "… "
    if p1 - end > MAX_CONTEXT // 2:
        p1 = _word_end(text, end + MAX_CONTEXT // 2)
        tail = " …"
    inner = esc(text[start:end])
    if highlight and start <= highlight[0] < highlight[1] <= end:
        h0, h1 = int(highlight[0]), int(highlight[1])
        inner = f"{esc(text[start:h0])}<strong>{esc(text[h0:h1])}</strong>{esc(text[h1:end])}"
    return f"{lead}{esc(text[p0:start])}<mark>{inner}</mark>{esc(text[end:p1])}{tail}"


def _word_start(text: str, i: int) -> int:
    j = text.find(" ", i)
    return i if j < 0 else j + 1


def _word_end(text: str, i: int) -> int:
    j = text.rfind(" ", 0, i)
    return i if j < 0 else j


def citation_card(c: Mapping[str, Any], turn: int, key: str, file_text: FileText, *, related: bool = False) -> str:
    start, end = int(c["start"]), int(c["end"])
    text = file_text(c["path"])
    when = nice_date(c.get("date"))
    label = f"{c['n']}"
    return (
        f'<details class="src{" rel" if related else ""}" id="{source_id(turn, key)}" data-n="{esc(key)}" '
        f'data-path="{esc(c["path"])}" data-start="{start}" data-end="{end}">'
        f'<summary><span class="src-n">{esc(label)}</span><span class="src-head">'
        f'<span class="src-title">{esc(c.get("title") or "Untitled article")}</span>'
        f'{f"<span class=src-date>{esc(when)}</span>" if when else ""}'
        f'<span class="src-quote">{esc(c["quote"])}</span></span></summary>'
        f'<div class="src-body"><p class="src-para">{context_html(text, start, end, c.get("highlight"))}</p>'
        f'<div class="src-loc"><code>{esc(c["path"])}</code><span>characters {start:,}–{end:,}</span></div>'
        f"</div></details>"
    )


def hits_html(d: Mapping[str, Any], doc_title: DocTitle, open_: bool) -> str:
    hits = d.get("hits") or []
    if not hits:
        return ""
    cited = [(c["path"], int(c["start"]), int(c["end"])) for c in d.get("citations") or []]
    rows = []
    for i, h in enumerate(hits, 1):
        used = any(p == h["path"] and h["start"] <= s and e <= h["end"] for p, s, e in cited)
        sub = []
        if h.get("dense_score") is not None:
            sub.append(f"dense {h['dense_score']:.3f}")
        if h.get("bm25_score") is not None:
            sub.append(f"BM25 {h['bm25_score']:.2f}")
        rows.append(
            f'<li class="hit{" used" if used else ""}"><div class="hit-head">'
            f'<span class="hit-rank">#{i}</span><span class="hit-score" title="fused score">{h["score"]:.4f}</span>'
            f'<span class="hit-sub">{esc(" · ".join(sub))}</span>'
            f'{"<span class=hit-used>cited</span>" if used else ""}</div>'
            f'<div class="hit-title">{esc(doc_title(h.get("doc_id") or ""))}</div>'
            f'<div class="hit-text">{esc(h.get("text") or "")}</div>'
            f'<div class="src-loc"><code>{esc(h["path"])}</code><span>characters {h["start"]:,}–{h["end"]:,}</span>'
            f"</div></li>"
        )
    return (f'<details class="passages"{" open" if open_ else ""}><summary>All {len(hits)} retrieved passages '
            f'<span class="hint">fused score · dense · BM25</span></summary><ol class="hits">{"".join(rows)}</ol>'
            f"</details>")


def panel_html(turns: Sequence[Mapping[str, Any]], file_text: FileText, doc_title: DocTitle,
               show_passages: bool = False) -> str:
    """The source panel: one section per answered turn, the latest one shown."""
    if not turns:
        return EMPTY_PANEL
    sections = []
    last = len(turns) - 1
    for turn, d in enumerate(turns):
        cards: list[str] = []
        if d.get("abstained"):
            heading = "Closest passages (not an answer)"
            cards = [citation_card(c, turn, f"r{c['n']}", file_text, related=True) for c in d.get("related") or []]
        else:
            heading = "Sources"
            cards = [citation_card(c, turn, str(c["n"]), file_text) for c in d.get("citations") or []]
        body = "".join(cards) or '<p class="none">No passage was close enough to show.</p>'
        sections.append(
            f'<section class="turn" data-turn="{turn}"{"" if turn == last else " hidden"}>'
            f'<div class="panel-title">{heading}</div>'
            f'<div class="turn-q"><span>for</span> {esc(d.get("question") or "")}</div>'
            f'<div class="cards">{body}</div>{hits_html(d, doc_title, show_passages)}</section>'
        )
    return f'<div class="panel">{"".join(sections)}</div>'
