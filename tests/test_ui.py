"""The chat UI: HTML rendering and the chat turn (fast, fake engine), then a real server driven
through its ``/ask`` API and, with ``-m browser``, through headless Chromium."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from rag.pipeline import QuestionError, clean_question
from rag.settings import MAX_QUESTION_CHARS, Settings
from rag.types import Answer, Chunk, Citation, Hit
from tests.live_server import ARTIFACTS, logged_errors, running_server
from ui import render
from ui.app import EXAMPLES, chat_turn

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INJECTION = "<img src=x onerror=alert(1)> <script>alert(2)</script> ${7*7} {{7*7}}"


# ---------------------------------------------------------------- a fake engine over a tiny file

DOC = ("Talks resume in Doha\n"
       "Before it <script>alert('doc')</script> & more. The ceasefire was agreed in Doha on Sunday. After it.\n"
       "Another paragraph.\n")


class FakeEngine:
    """Just enough of ``Engine`` for the UI: ask, file_text, index.docs, settings."""

    def __init__(self, root: Path, abstain: bool = False) -> None:
        self.settings = Settings(root=root)
        self.index = SimpleNamespace(docs={"d#01": SimpleNamespace(title="Talks <resume> in Doha")})
        self.abstain = abstain
        self.calls: list[tuple[str, tuple[str, ...]]] = []
        (root / "seeds").mkdir(exist_ok=True)
        (root / "seeds" / "doc.txt").write_text(DOC, encoding="utf-8")

    def file_text(self, path: str) -> str:
        return (self.settings.root / path).read_text(encoding="utf-8")

    def ask(self, question: str, history=(), *, top_k: int | None = None) -> Answer:
        q = clean_question(question)
        self.calls.append((q, tuple(history)))
        quote = "The ceasefire was agreed in Doha on Sunday."
        start = DOC.index(quote)
        h = DOC.index("Doha on Sunday")
        cite = Citation(1, "d#01", "Talks <resume> in Doha", "2025-10-19", "seeds/doc.txt", start, start + len(quote),
                        quote, (h, h + len("Doha")))
        chunk = Chunk("c1", "d#01", "seeds/doc.txt", 0, len(DOC), DOC, 40, ())
        hits = (Hit(chunk, 0.03, 1, 0.5, 1.2),)
        if self.abstain:
            return Answer(q, "The documents don't say who won.", (), True, hits, query=q, related=(cite,))
        text = f"{quote} [1] Unrelated marker [7] stays text."
        return Answer(q, text, (cite,), False, hits, query=q + (" ctx" if history else ""), short_answer="Doha",
                      timings_ms={"total": 12.0})


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_everything_from_users_and_documents_is_escaped(tmp_path: Path) -> None:
    eng = FakeEngine(tmp_path)
    user = render.user_html(INJECTION)
    assert "<img" not in user and "<script" not in user and "${" not in user and "{{" not in user
    assert _text(user) == INJECTION
    d = eng.ask(INJECTION).to_dict()
    panel = render.panel_html([d], eng.file_text, lambda _: "<b>title</b>", True)
    assert "<script" not in panel and "<b>" not in panel and "<resume>" not in panel
    assert "&lt;script&gt;alert(&#x27;doc&#x27;)&lt;/script&gt;" in panel
    assert "${" not in panel and "{{" not in panel


def test_context_marks_the_quote_and_emphasises_the_phrase(tmp_path: Path) -> None:
    c = FakeEngine(tmp_path).ask("where?").citations[0]
    out = render.context_html(DOC, c.start, c.end, c.highlight)
    mark = re.search(r"<mark>(.*?)</mark>", out).group(1)
    assert _text(mark) == DOC[c.start:c.end] == c.quote
    assert _text(re.search(r"<strong>(.*?)</strong>", mark).group(1)) == "Doha"
    # The surrounding paragraph is the quote's line, not the whole file.
    assert _text(out).startswith("Before it <script>") and "Another paragraph" not in out


def test_markers_become_chips_only_for_real_citations(tmp_path: Path) -> None:
    d = FakeEngine(tmp_path).ask("where?").to_dict()
    out = render.answer_html(d, 3)
    assert out.count('class="cite"') == 1 and 'href="#src-3-1"' in out
    assert "[7]" in out  # not a citation of this answer: left as text
    assert "Short answer" in out and "Not in the documents" not in out


def test_abstention_looks_different_and_offers_related_passages(tmp_path: Path) -> None:
    eng = FakeEngine(tmp_path, abstain=True)
    d = eng.ask("who won?").to_dict()
    out = render.answer_html(d, 0)
    assert "abstain" in out and "Not in the documents" in out and 'href="#src-0-r1"' in out
    panel = render.panel_html([d], eng.file_text, lambda _: "t")
    assert 'id="src-0-r1"' in panel and "not an answer" in panel


def test_chat_turn_streams_then_fills_the_source_panel(tmp_path: Path) -> None:
    eng = FakeEngine(tmp_path)
    steps = list(chat_turn(eng, "Where was it agreed?", [], [], 5, "extractive", False, delay=0))
    assert "pending" in steps[0][0][-1]["content"]
    assert any("streaming" in s[0][-1]["content"] for s in steps[1:-1])
    chat, msgs, turns, panel = steps[-1]
    assert [m["role"] for m in chat] == ["user", "assistant"] and msgs == chat
    assert len(turns) == 1 and 'id="src-0-1"' in panel
    # The next turn passes the earlier question as history and shows the rewritten query on request.
    *_, (chat2, _, turns2, panel2) = chat_turn(eng, "And when?", msgs, turns, delay=0)
    assert eng.calls[-1] == ("And when?", ("Where was it agreed?",))
    assert "searched as" in chat2[-1]["content"] and len(turns2) == 2
    assert 'data-turn="0" hidden' in panel2 and 'data-turn="1">' in panel2


def test_chat_turn_shows_bad_questions_as_messages(tmp_path: Path) -> None:
    eng = FakeEngine(tmp_path)
    *_, (chat, _, turns, panel) = chat_turn(eng, "   ", [], [], delay=0)
    assert [m["role"] for m in chat] == ["assistant"] and "empty" in chat[0]["content"]
    assert isinstance(turns, dict) and isinstance(panel, dict)  # gr.skip(): nothing else changes
    long_q = "x" * (MAX_QUESTION_CHARS + 1)
    *_, (chat, _, _, _) = chat_turn(eng, long_q, [], [], delay=0)
    assert "characters" in chat[0]["content"] and "limit" in chat[1]["content"]
    with pytest.raises(QuestionError):
        eng.ask(long_q)


# ---------------------------------------------------------------- a real server

@pytest.fixture(scope="module")
def server():
    """``python -m ui`` on a free loopback port, with the committed index and the real model."""
    with running_server(["--host", "127.0.0.1"], log_name="ui-server.log") as srv:
        yield srv.url
    # Gradio logs a traceback for every gr.Error (a bad question sent to the API); anything else is a bug.
    assert not logged_errors(srv.log()), f"the server logged an error; see {srv.log_path}"


@pytest.fixture(scope="module")
def client(server):
    gradio_client = pytest.importorskip("gradio_client")
    # Citations carry a "path" field: without download_files=False the client takes them for files.
    return gradio_client.Client(server, verbose=False, download_files=False)


def _file(path: str) -> str:
    with open(ROOT / path, encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.model
def test_api_returns_the_answer_with_exact_citations(client) -> None:
    d = client.predict(EXAMPLES[0], [], None, api_name="/ask")
    assert {"question", "answer", "abstained", "mode", "citations", "hits", "timings_ms", "query"} <= set(d)
    assert not d["abstained"] and d["citations"] and "RTA" in d["answer"]
    for c in d["citations"]:
        assert f"[{c['n']}]" in d["answer"]
        assert _file(c["path"])[c["start"]:c["end"]] == c["quote"]
    assert all(_file(h["path"])[h["start"]:h["end"]] for h in d["hits"])


@pytest.mark.model
def test_api_follow_up_and_bad_input(client) -> None:
    d = client.predict("What did it call on Pakistan to do?", [EXAMPLES[0]], 3, api_name="/ask")
    assert d["query"] != d["question"] and len(d["hits"]) == 3
    for c in d["citations"] + d["related"]:
        assert _file(c["path"])[c["start"]:c["end"]] == c["quote"]
    with pytest.raises(Exception, match="empty"):
        client.predict("  ", [], None, api_name="/ask")


# ---------------------------------------------------------------- the page, in Chromium

@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("RAG_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} not installed and RAG_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str, **context):
    """A page on the app; any alert/confirm dialog is recorded (and must never happen)."""
    ctx = browser.new_context(**context)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(url)
    pg.wait_for_selector("#question textarea")
    return ctx, pg


@pytest.fixture(scope="module")
def desktop(browser, server):
    ctx, pg = _open(browser, server, viewport={"width": 1280, "height": 900})
    yield pg
    ctx.close()


@pytest.fixture
def page(desktop):
    """The desktop page with a fresh conversation (loading the page costs seconds; clearing does not)."""
    desktop.click("#clear")
    desktop.wait_for_selector("#sources .panel.empty")
    desktop.wait_for_selector("#chat button.example")
    desktop.dialogs.clear()
    return desktop


def _ask(pg, question: str, turn: int) -> None:
    pg.fill("#question textarea", question)
    pg.press("#question textarea", "Enter")
    _wait_answer(pg, turn)


def _wait_answer(pg, turn: int) -> None:
    # The footer (.meta) appears only once the answer has finished streaming in.
    pg.wait_for_selector(f"#chat .ans.turn-{turn} .meta", timeout=30_000)


def _check_card(pg, turn: int, key: str) -> None:
    card = pg.locator(f"#sources #src-{turn}-{key}")
    mark = card.locator("mark")
    mark.wait_for(state="visible", timeout=5_000)
    text = _file(card.get_attribute("data-path"))
    start, end = int(card.get_attribute("data-start")), int(card.get_attribute("data-end"))
    assert mark.text_content() == text[start:end]


@pytest.mark.browser
def test_browser_answer_cite_click_and_follow_up(page) -> None:
    _ask(page, EXAMPLES[0], 0)
    chip = page.locator("#chat .ans.turn-0 a.cite").first
    assert re.fullmatch(r"\d+", chip.text_content())
    key = chip.text_content()
    assert not page.locator(f"#sources #src-0-{key} mark").is_visible()  # closed until clicked
    chip.click()
    _check_card(page, 0, key)
    page.screenshot(path=str(ARTIFACTS / "ui-desktop.png"), full_page=True)

    # A follow-up: its own sources replace the panel; the first answer's markers still open theirs.
    _ask(page, "What did it call on Pakistan to do?", 1)
    assert page.locator("#chat .ans.turn-1 details.rewrite").count() == 1
    assert page.locator('#sources section.turn[data-turn="1"]').is_visible()
    page.locator("#chat .ans.turn-0 a.cite").first.click()
    assert page.locator('#sources section.turn[data-turn="0"]').is_visible()
    assert not page.locator('#sources section.turn[data-turn="1"]').is_visible()
    _check_card(page, 0, key)
    page.screenshot(path=str(ARTIFACTS / "ui-follow-up.png"), full_page=True)


@pytest.mark.browser
def test_browser_phone_width(browser, server) -> None:
    ctx, page = _open(browser, server, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                      is_mobile=True, has_touch=True)
    page.locator("#chat button.example").nth(3).click()  # an example question, asked in one tap
    _wait_answer(page, 0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391  # nothing wider than the phone
    page.locator("#chat .ans.turn-0 a.cite").first.tap()
    _check_card(page, 0, "1")
    page.screenshot(path=str(ARTIFACTS / "ui-phone.png"), full_page=True)
    assert page.dialogs == []
    ctx.close()


@pytest.mark.browser
def test_browser_html_in_a_question_is_shown_as_text(page) -> None:
    _ask(page, INJECTION, 0)
    page.wait_for_timeout(300)  # give an injected handler the chance to fire
    assert page.dialogs == []
    assert INJECTION in page.locator("#chat .q").first.text_content()
    assert page.locator("#chat img[src='x'], #sources img").count() == 0
    assert INJECTION in page.locator("#sources .turn-q").first.text_content()


@pytest.mark.browser
def test_browser_empty_and_over_long_questions_get_a_message(page) -> None:
    page.click("#send")
    err = page.locator("#chat .ans.error")
    err.wait_for(state="visible", timeout=10_000)
    assert "empty" in err.text_content()
    page.fill("#question textarea", "why " * 600)
    page.click("#send")
    page.locator("#chat .ans.error").nth(1).wait_for(state="visible", timeout=10_000)
    assert "limit" in page.locator("#chat .ans.error").nth(1).text_content()
    page.screenshot(path=str(ARTIFACTS / "ui-errors.png"), full_page=True)
