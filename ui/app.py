"""The Gradio chat app: a thin shell over ``Engine.ask``.

``build_app(engine)`` returns the Blocks; ``serve()`` loads the engine once and starts the server.
The same question-answering call is exposed as the named API endpoint ``/ask``.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from rag.pipeline import Engine, QuestionError, default_engine
from rag.settings import MAX_QUESTION_CHARS, Settings
from ui import render
from ui.assets import CSS, HEAD

log = logging.getLogger(__name__)

TITLE = "talks-rag"
# Answerable questions from eval/questions.jsonl, offered as one-click examples.
EXAMPLES = [
    "Which Taliban-controlled broadcaster reported that Kabul's delegation had put forward a proposal in Turkiye?",
    "After how many hours of discussions did Kabul's delegation in Turkiye submit its proposal?",
    "What is the name of the international border between Pakistan and Afghanistan that Kabul does not recognise?",
    "Which Iranian official urged Pakistan and Afghanistan to exercise restraint?",
]
LLM_INSTALL = 'pip install ".[llm]"'
MAX_TOP_K = 20
# Streaming is cosmetic (answers are extractive and arrive whole): a few words per update.
STREAM_WORDS = 3
STREAM_DELAY = 0.02
DEFAULT_CONCURRENCY = 2
DEFAULT_QUEUE = 64
# Chat turns and /ask calls share one concurrency limit: Gradio otherwise gives each function its own.
ANSWER_GROUP = "answer"

HEADER = f"""
<div id="hdr">
  <h1>Pakistan–Afghanistan talks: ask the reporting <span class="tag">{TITLE}</span></h1>
  <p>Ask about the 2025 border crisis and the Doha and Istanbul ceasefire talks. Answers quote the news
  articles word for word: click a numbered marker to see the sentence in its article. When the articles
  don't say, neither does the answer.</p>
</div>
"""


def local_model_available(engine: Engine) -> bool:
    """True when the optional local model is installed and the engine can answer with it."""
    return importlib.util.find_spec("llama_cpp") is not None and _accepts_mode(engine)


def _accepts_mode(engine: Engine) -> bool:
    try:
        return "mode" in inspect.signature(engine.ask).parameters
    except (TypeError, ValueError):
        return False


def _doc_title(engine: Engine):
    def title(doc_id: str) -> str:
        doc = engine.index.docs.get(doc_id) if hasattr(engine.index.docs, "get") else None
        return getattr(doc, "title", "") or doc_id

    return title


def _msg(role: str, html: str) -> dict[str, str]:
    return {"role": role, "content": html}


def panel_for(engine: Engine, turns: list[dict[str, Any]], show: bool) -> str:
    """The source panel for a conversation's answered turns."""
    return render.panel_html(turns, engine.file_text, _doc_title(engine), bool(show))


def chat_turn(engine: Engine, question: str, msgs: list[dict[str, str]], turns: list[dict[str, Any]],
              top_k: float | None = None, mode: str | None = None, show: bool = False, *,
              delay: float = STREAM_DELAY) -> Iterator[tuple[Any, Any, Any, Any]]:
    """One chat turn: yields (chatbot, messages, turns, panel) updates, streaming the answer in.

    ``msgs`` holds the rendered chat so far and ``turns`` the ``Answer.to_dict()`` of each answered
    question; the previous questions are passed to ``Engine.ask`` as the conversation's history.
    """
    skip = gr.skip()
    question = question or ""
    msgs = list(msgs or [])
    turns = list(turns or [])
    if question.strip():
        msgs.append(_msg("user", render.user_html(question)))
    yield msgs + [_msg("assistant", render.pending_html())], skip, skip, skip
    history = [t["question"] for t in turns]
    kwargs: dict[str, Any] = {"top_k": int(top_k) if top_k else None}
    if mode and mode != "extractive" and local_model_available(engine):
        kwargs["mode"] = mode
    try:
        answer = engine.ask(question, history, **kwargs)
    except QuestionError as exc:
        msgs.append(_msg("assistant", render.error_html(str(exc))))
        yield msgs, msgs, skip, skip
        return
    except RuntimeError as exc:  # one line meant for the user, as in the CLI (e.g. a missing local model)
        msgs.append(_msg("assistant", render.error_html(str(exc), "Couldn’t answer")))
        yield msgs, msgs, skip, skip
        return
    except Exception as exc:  # the page must stay usable whatever goes wrong below
        log.exception("answering failed")
        msgs.append(_msg("assistant", render.error_html(
            f"something went wrong while answering ({type(exc).__name__})", "Couldn’t answer")))
        yield msgs, msgs, skip, skip
        return
    d = answer.to_dict()
    turn = len(turns)
    if not d["abstained"]:
        n = len(render.tokens(d["answer"]))
        for upto in range(STREAM_WORDS, n, STREAM_WORDS):
            yield msgs + [_msg("assistant", render.answer_html(d, turn, words=upto))], skip, skip, skip
            if delay:
                time.sleep(delay)
    msgs.append(_msg("assistant", render.answer_html(d, turn)))
    turns.append(d)
    yield msgs, msgs, turns, panel_for(engine, turns, show)


def build_app(engine: Engine, *, concurrency: int = DEFAULT_CONCURRENCY, max_queue: int = DEFAULT_QUEUE) -> gr.Blocks:
    """The chat UI and the ``/ask`` API over one loaded engine."""
    llm_ok = local_model_available(engine)
    default_k = min(max(1, engine.settings.top_k), MAX_TOP_K)

    def panel(turns: list[dict[str, Any]], show: bool) -> str:
        return panel_for(engine, turns, show)

    def respond(question: str, msgs: list[dict[str, str]], turns: list[dict[str, Any]], top_k: float, mode: str,
                show: bool) -> Iterator[tuple[Any, Any, Any, Any]]:
        yield from chat_turn(engine, question, msgs, turns, top_k, mode, show)

    def api_ask(question: str, history: list[str] | None = None, top_k: int | None = None) -> dict[str, Any]:
        """Answer a question from the news articles, with exact citations.
        Returns the same JSON object as "rag ask --json": answer, abstained, citations (quote, path,
        start, end), hits, query. From Python, create the client with Client(url, download_files=False):
        citations have a "path" field that the client would otherwise try to download.

        Parameters:
            question: the question (up to 2,000 characters)
            history: the conversation's earlier questions, oldest first
            top_k: how many passages to retrieve (default from the server's settings)
        """
        hist = [h for h in (history or []) if isinstance(h, str)]
        try:
            return engine.ask(question, hist, top_k=int(top_k) if top_k else None).to_dict()
        except (QuestionError, RuntimeError) as exc:
            raise gr.Error(str(exc)) from None

    def take(text: str) -> tuple[str, str]:
        return "", text

    def pick_example(evt: gr.SelectData) -> str:
        value = evt.value
        return value.get("text", "") if isinstance(value, dict) else str(value or "")

    def clear() -> tuple[list, list, list, str, str]:
        return [], [], [], render.EMPTY_PANEL, ""

    with gr.Blocks(title="talks-rag · Pakistan–Afghanistan talks Q&A", analytics_enabled=False) as demo:
        msgs_state = gr.State([])
        turns_state = gr.State([])
        pending = gr.State("")
        gr.HTML(HEADER, padding=False)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=340):
                chat = gr.Chatbot(
                    elem_id="chat", show_label=False, height="min(62vh, 640px)", min_height=320,
                    render_markdown=False, sanitize_html=True, latex_delimiters=[], feedback_options=None,
                    buttons=[], autoscroll=True, group_consecutive_messages=False,
                    placeholder="<strong>Ask about the talks.</strong><br>Pick an example or type your own question.",
                    examples=[{"text": q} for q in EXAMPLES],
                )
                with gr.Row(elem_id="composer"):
                    msg = gr.Textbox(
                        show_label=False, placeholder="Ask about the talks…", lines=1, max_lines=6,
                        max_length=MAX_QUESTION_CHARS + 500, scale=5, elem_id="question", autofocus=True,
                        submit_btn=False,
                    )
                    send = gr.Button("Ask", variant="primary", scale=0, min_width=88, elem_id="send")
                with gr.Row(elem_id="tools"):
                    clear_btn = gr.Button("Clear conversation", size="sm", variant="secondary", elem_id="clear",
                                          scale=0, min_width=160)
                with gr.Accordion("Settings", open=False, elem_id="settings"):
                    modes = [("Extractive: exact quotes from the articles", "extractive")]
                    if llm_ok:
                        modes.append(("Local model (SmolLM2), answers checked against quotes", "generative"))
                    mode = gr.Radio(modes, value="extractive", label="Answer mode", elem_id="mode")
                    if not llm_ok:
                        gr.HTML(
                            '<p class="unavailable" id="llm-unavailable"><span class="ring"></span><span>'
                            "<strong>Local model</strong> — not available here. Install the optional extra with "
                            f"<code>{render.esc(LLM_INSTALL)}</code> and restart.</span></p>", padding=False,
                        )
                    top_k = gr.Slider(1, MAX_TOP_K, value=default_k, step=1, label="Passages to retrieve (top-k)",
                                      elem_id="top-k")
                    show = gr.Checkbox(value=False, label="Show all retrieved passages with their scores",
                                       elem_id="show-passages")
            with gr.Column(scale=2, min_width=300, elem_id="sources-col"):
                src = gr.HTML(render.EMPTY_PANEL, elem_id="sources", padding=False)

        chat_outputs = [chat, msgs_state, turns_state, src]
        chat_inputs = [pending, msgs_state, turns_state, top_k, mode, show]
        for trigger in (msg.submit, send.click):
            trigger(take, [msg], [msg, pending], queue=False, api_visibility="private").then(
                respond, chat_inputs, chat_outputs, api_visibility="private", concurrency_id=ANSWER_GROUP)
        chat.example_select(pick_example, None, [pending], queue=False, api_visibility="private").then(
            respond, chat_inputs, chat_outputs, api_visibility="private", concurrency_id=ANSWER_GROUP)
        for trigger in (clear_btn.click, chat.clear):
            trigger(clear, None, [chat, msgs_state, turns_state, src, pending], queue=False, api_visibility="private")
        show.change(panel, [turns_state, show], [src], queue=False, api_visibility="private")
        gr.api(api_ask, api_name="ask", concurrency_id=ANSWER_GROUP)

    demo.queue(default_concurrency_limit=concurrency, max_size=max_queue)
    return demo


def launch_kwargs() -> dict[str, Any]:
    """Look-and-feel options, which Gradio 6 takes at launch."""
    font = gr.themes.LocalFont
    theme = gr.themes.Base(
        primary_hue="blue", neutral_hue="slate", radius_size="md",
        # Fonts shipped with Gradio, so the page needs no network. Only their regular and bold files hold
        # the full character set (the semibold ones are subsets), so 600 resolves to bold.
        font=[font("IBM Plex Sans", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=[font("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "monospace"],
    )
    return {"theme": theme, "css": CSS, "head": HEAD, "footer_links": ["api"]}


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None, *,
          concurrency: int | None = None, max_queue: int | None = None) -> None:
    """Load the engine once, then serve the chat UI and the ``/ask`` API until interrupted."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    engine = default_engine(settings or Settings.from_env())
    engine.get_embedder()  # load the model now, not on the first question
    conc = concurrency or int(os.environ.get("RAG_UI_CONCURRENCY", DEFAULT_CONCURRENCY))
    size = max_queue or int(os.environ.get("RAG_UI_QUEUE", DEFAULT_QUEUE))
    demo = build_app(engine, concurrency=conc, max_queue=size)
    # File access needs no allowed_paths/blocked_paths: Gradio 6 serves /gradio_api/file= only from its own
    # upload and cache folders (nothing of this repo or the system; tests/test_server.py checks). The rest
    # turns off what the app does not use: uploads (it takes no files, so none pile up in the temp folder),
    # the traffic-monitoring pages, and run history, whose routes in Gradio 6.27-6.31 lend the operator's
    # saved Hugging Face token to any request that looks local (CVE-2026-134825; worst with SSR, kept off).
    demo.launch(server_name=host, server_port=port, share=False, show_error=False, max_file_size=0,
                enable_monitoring=False, run_history=False, ssr_mode=False, **launch_kwargs())
