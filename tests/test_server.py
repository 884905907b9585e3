"""The running chat server is hardened: loopback only, no files outside the app, no server-side
fetches of loopback URLs, no uploads, and a bounded queue that answers "busy" instead of growing.

One server is started for the module with ``--concurrency 1 --max-queue 2`` and no ``--host``, so the
same process shows the default binding and the queue limit.
"""

from __future__ import annotations

import http.client
import http.server
import inspect
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import gradio
import pytest

from tests.live_server import ROOT, Server, bound_sockets, logged_errors, running_server

PASSWD = b"root:x:0:0"
CONCURRENCY, MAX_QUEUE = 1, 2
BURST = 20  # simultaneous questions, far more than the 1 running + 2 waiting that fit


# ---------------------------------------------------------------- fast checks, no server

def test_gradio_is_pinned_to_the_audited_release() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"gradio==6\.31\.0"', text), "pin gradio exactly; the file routes were checked on 6.31.0"
    assert gradio.__version__ == "6.31.0"


def test_every_entry_point_defaults_to_loopback(monkeypatch) -> None:
    from rag.cli import build_parser
    from ui import __main__ as ui_main
    from ui import app

    assert inspect.signature(app.serve).parameters["host"].default == "127.0.0.1"
    monkeypatch.delenv("RAG_HOST", raising=False)
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    seen: dict[str, Any] = {}
    monkeypatch.setattr(app, "serve", lambda **kw: seen.update(kw))
    assert ui_main.main([]) == 0 and seen["host"] == "127.0.0.1"


def test_chat_and_api_share_one_bounded_queue(tmp_path: Path) -> None:
    from tests.test_ui import FakeEngine
    from ui.app import ANSWER_GROUP, build_app

    demo = build_app(FakeEngine(tmp_path), concurrency=CONCURRENCY, max_queue=MAX_QUEUE)
    queued = [fn for fn in demo.fns.values() if fn.queue]
    # The chat turns (submit, button, example) and /ask: all answer questions, so one limit covers them.
    assert len(queued) == 4 and {fn.concurrency_id for fn in queued} == {ANSWER_GROUP}
    for fn in queued:  # what the queue does with each function when its first event arrives
        demo._queue.create_event_queue_for_fn(fn)
    groups = demo._queue.event_queue_per_concurrency_id
    assert list(groups) == [ANSWER_GROUP] and groups[ANSWER_GROUP].concurrency_limit == CONCURRENCY
    assert demo._queue.max_size == MAX_QUEUE


# ---------------------------------------------------------------- the running server

@pytest.fixture(scope="module")
def server():
    # No --host: the default binding is part of what is tested.
    with running_server(["--concurrency", str(CONCURRENCY), "--max-queue", str(MAX_QUEUE)],
                        log_name="server-hardening.log") as srv:
        yield srv
        assert srv.proc.poll() is None, "the server died during the tests"
    assert not logged_errors(srv.log()), f"the server logged an error; see {srv.log_path}"


def request(server: Server, path: str, method: str = "GET", headers: dict[str, str] | None = None,
            body: bytes | None = None) -> tuple[int, bytes]:
    """Send ``path`` exactly as written (no normalisation of ``..``, ``%2e`` or backslashes)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


@pytest.mark.model
def test_listens_on_loopback_only(server) -> None:
    sockets = bound_sockets(server.pid)
    assert ("tcp", "127.0.0.1", server.port) in sockets
    # The process (and any child) has no other listener, and none on a public interface.
    assert all(addr in ("127.0.0.1", "::1") for _, addr, _ in sockets), sockets


# Every route that serves files from disk in Gradio 6, and spellings a normaliser might treat alike.
FILE_ROUTES = ["/gradio_api/file=", "/gradio_api/file/", "/file=", "/file/", "/GRADIO_API/FILE=",
               "/gradio_api/FILE=", "/Gradio_Api/File="]
PASSWD_PATHS = [
    "/etc/passwd", "//etc/passwd", "/etc/./passwd", "%2fetc%2fpasswd", "/etc/passwd%00.png",
    "../" * 8 + "etc/passwd",
    "..%2f" * 8 + "etc%2fpasswd",
    "%2e%2e%2f" * 8 + "etc%2fpasswd",
    "%2E%2E%2F" * 8 + "etc%2Fpasswd",
    ".%2e/" * 8 + "etc/passwd",
    "%252e%252e%252f" * 8 + "etc%252fpasswd",
    "..\\" * 8 + "etc\\passwd",
    "..%5c" * 8 + "etc%5cpasswd",
    "/tmp/gradio/../../etc/passwd",
    "/proc/self/root/etc/passwd",
    "file:///etc/passwd",
]
STATIC_ROUTES = ["/static/", "/assets/", "/svelte/"]
STATIC_PATHS = ["/etc/passwd", "../" * 10 + "etc/passwd", "%2e%2e/" * 10 + "etc/passwd",
                "..%2f" * 10 + "etc/passwd", "..%5c" * 10 + "etc%5cpasswd", "%252e%252e%252f" * 10 + "etc/passwd"]
# Files of this repository: the app renders quotes itself and serves none of them.
REPO_FILES = [".git/config", "index/manifest.json", "pyproject.toml", "rag/settings.py",
              *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "seeds").iterdir() if p.is_file())[:2]]


def _marker(rel: str) -> bytes:
    """A line of the file that is not part of its path, so an echoed path in an error is no false alarm."""
    for line in (ROOT / rel).read_text(encoding="utf-8").splitlines():
        if len(line.strip()) >= 8:
            return line.strip().encode()
    raise AssertionError(f"{rel} has no line to look for")


def _leaks(server: Server, paths: list[str], marker: bytes, **kw: Any) -> list[str]:
    bad = []
    for path in paths:
        status, body = request(server, path, **kw)
        if status == 200 or marker in body or status >= 500:
            bad.append(f"{path} -> {status} {body[:80]!r}")
    return bad


@pytest.mark.model
@pytest.mark.parametrize("route", FILE_ROUTES)
def test_file_routes_refuse_system_files(server, route: str) -> None:
    assert _leaks(server, [route + p for p in PASSWD_PATHS], PASSWD) == []


@pytest.mark.model
def test_head_and_range_requests_are_refused_too(server) -> None:
    paths = ["/gradio_api/file=/etc/passwd", "/gradio_api/file=" + "../" * 8 + "etc/passwd"]
    assert _leaks(server, paths, PASSWD, method="HEAD") == []
    assert _leaks(server, paths, PASSWD, headers={"Range": "bytes=0-100"}) == []


@pytest.mark.model
@pytest.mark.parametrize("route", STATIC_ROUTES)
def test_static_routes_stay_inside_gradio(server, route: str) -> None:
    assert _leaks(server, [route + p for p in STATIC_PATHS], PASSWD) == []


@pytest.mark.model
def test_other_path_taking_routes_refuse_system_files(server) -> None:
    cid = gradio.Chatbot.get_component_class_id()
    paths = [
        f"/gradio_api/custom_component/{cid}/client/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        f"/gradio_api/custom_component/{cid}/server/x/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/gradio_api/run-history/records/ask/x/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/gradio_api/stream/x/y/0/playlist-file",
        "/gradio_api/proxy=file:///etc/passwd",
        "/pwa_icon/..%2f..%2f..%2f..%2fetc%2fpasswd",
    ]
    assert _leaks(server, paths, PASSWD) == []


@pytest.mark.model
@pytest.mark.parametrize("rel", REPO_FILES)
def test_repository_files_are_not_served(server, rel: str) -> None:
    absolute = (ROOT / rel).as_posix()
    paths = [f"{route}{p}" for route in ("/gradio_api/file=", "/gradio_api/file/")
             for p in (absolute, rel, "./" + rel, f"/proc/self/cwd/{rel}", f"/tmp/gradio/../..{absolute}")]
    assert _leaks(server, paths, _marker(rel)) == []


@pytest.mark.model
def test_what_the_page_needs_is_still_served(server) -> None:
    status, page = request(server, "/")
    assert status == 200 and b"<html" in page.lower()
    assets = re.findall(rb"""["'](?:\./|/)?(assets/[^"'?#]+\.(?:js|css))""", page)
    assert assets, "the page links no Gradio assets"
    needed = ["/config", "/gradio_api/info", "/theme.css", "/favicon.ico",
              "/static/fonts/IBMPlexSans/IBMPlexSans-Regular.woff2", "/" + assets[0].decode()]
    assert {p: request(server, p)[0] for p in needed} == {p: 200 for p in needed}


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).hits.append(self.path)
        body = b"loopback-secret-7f3a"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def loopback_listener():
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.hits = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv.server_address[1], _Recorder.hits
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.model
def test_no_server_side_fetch_of_loopback_urls(server, loopback_listener) -> None:
    port, hits = loopback_listener
    targets = [f"http://127.0.0.1:{port}/secret", f"http://localhost:{port}/secret", f"http://127.1:{port}/secret",
               f"http://2130706433:{port}/secret", f"http://[::1]:{port}/secret", f"https://127.0.0.1:{port}/secret",
               f"http%3A%2F%2F127.0.0.1%3A{port}%2Fsecret"]
    paths = [f"{route}{t}" for route in ("/gradio_api/file=", "/gradio_api/file/", "/gradio_api/proxy=")
             for t in targets]
    assert _leaks(server, paths, b"loopback-secret-7f3a") == []
    assert hits == [], f"the server fetched {hits}"


@pytest.mark.model
def test_uploads_are_refused_and_unused_routes_are_off(server) -> None:
    boundary = "talksragboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n{'x' * 4096}\r\n--{boundary}--\r\n").encode()
    status, reply = request(server, "/gradio_api/upload", "POST", body=body,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 413, reply[:200]
    for path in ("/monitoring", "/monitoring/summary", "/gradio_api/vibe-code"):
        assert request(server, path)[0] == 403, path


@pytest.mark.model
def test_run_history_cannot_borrow_the_operators_token(server) -> None:
    # Gradio 6.27-6.31 hands the locally saved Hugging Face token to run-history requests that look local
    # (CVE-2026-134825). The app does not use run history, so its routes must not exist at all.
    for path in ("/gradio_api/runs", "/gradio_api/run-history/buckets",
                 "/gradio_api/run-history/records?bucket=x/y"):
        for headers in ({}, {"Host": "localhost"}, {"Host": f"127.0.0.1:{server.port}"}):
            assert request(server, path, headers=headers)[0] == 404, (path, headers)
    assert request(server, "/gradio_api/run-history/connect", "POST", body=b'{"bucket_id": "x/y"}',
                   headers={"Content-Type": "application/json", "Host": "localhost"})[0] == 404


# ---------------------------------------------------------------- the bounded queue

def _questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    qs = [r["question"] for r in rows if "question" in r]
    return [qs[i % len(qs)] for i in range(n)]


_files: dict[str, str] = {}


def _check_citations(d: dict[str, Any]) -> None:
    for c in d["citations"] + d.get("related", []):
        if c["path"] not in _files:
            _files[c["path"]] = (ROOT / c["path"]).read_text(encoding="utf-8")
        assert _files[c["path"]][c["start"]:c["end"]] == c["quote"]


@pytest.mark.model
def test_a_full_queue_answers_busy_through_the_client(server) -> None:
    from gradio_client import Client
    from gradio_client.utils import QueueError

    client = Client(server.url, verbose=False, download_files=False)
    jobs = [client.submit(q, [], None, api_name="/ask") for q in _questions(BURST)]
    answered, busy, other = [], [], []
    for job in jobs:
        try:
            answered.append(job.result(timeout=300))
        except QueueError as exc:
            busy.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - any other failure is reported below
            other.append(f"{type(exc).__name__}: {exc}")
    assert other == [], other
    assert busy, "no request was turned away although far more were sent than fit"
    assert all("queue is full" in m.lower() for m in busy), busy
    assert len(answered) >= CONCURRENCY + MAX_QUEUE - 1, (len(answered), busy[:1])
    for d in answered:
        assert d["answer"] and isinstance(d["abstained"], bool)
        _check_citations(d)
    # Once the burst has drained, the server answers as before.
    d = client.predict(_questions(1)[0], [], None, api_name="/ask")
    _check_citations(d)
    assert server.proc.poll() is None
    client.close()


def _post_call(server: Server, question: str, barrier: threading.Barrier) -> tuple[int, dict[str, Any]]:
    payload = json.dumps({"data": [question, [], None]}).encode()
    barrier.wait()
    status, body = request(server, "/gradio_api/call/ask", "POST", body=payload,
                           headers={"Content-Type": "application/json"})
    return status, json.loads(body)


def _call_result(server: Server, event_id: str) -> dict[str, Any]:
    status, body = request(server, f"/gradio_api/call/ask/{event_id}")
    assert status == 200
    text = body.decode()
    assert "event: complete" in text, text[-300:]
    data = text.split("event: complete", 1)[1].split("data:", 1)[1].strip().splitlines()[0]
    return json.loads(data)[0]


@pytest.mark.model
def test_a_full_queue_answers_503_over_plain_http(server) -> None:
    barrier = threading.Barrier(BURST)
    with ThreadPoolExecutor(BURST) as pool:
        replies = list(pool.map(lambda q: _post_call(server, q, barrier), _questions(BURST)))
    accepted = [body["event_id"] for status, body in replies if status == 200]
    refused = [body for status, body in replies if status != 200]
    assert refused and accepted, replies
    assert all(status in (200, 503) for status, _ in replies), replies
    assert all("Queue is full" in body["detail"] for body in refused), refused
    for event_id in accepted:
        _check_citations(_call_result(server, event_id))
