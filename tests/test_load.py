"""Load: 20 simultaneous API users asking the eval questions (answerable, unanswerable, follow-ups)
against the real server. No errors, every citation exact, memory flat; latency goes to
``eval/bench/load.json``.

The run is bounded by time and by questions per user, whichever comes first, so the test takes
about a minute and a half on a busy two-core machine. Latency is recorded, never asserted.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import gradio
import pytest

from tests.live_server import ROOT, logged_errors, rss_mb, running_server
from ui.app import DEFAULT_CONCURRENCY, DEFAULT_QUEUE

pytestmark = [pytest.mark.model, pytest.mark.load]

USERS = 20
DURATION_S = 45.0  # budget for the load phase; users stop after the question in flight
PER_USER = 15
MAX_RSS_GROWTH_MB = 300
OUT = ROOT / "eval" / "bench" / "load.json"


def _workload() -> list[tuple[str, str, list[str]]]:
    """(kind, question, history) for every eval item; a conversation asks its last turn after the others."""
    items = []
    for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "turns" in row:
            items.append((row["kind"], row["turns"][-1], list(row["turns"][:-1])))
        else:
            items.append((row["kind"], row["question"], []))
    return items


def _percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class _Files:
    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._lock = threading.Lock()

    def bad_citations(self, d: dict[str, Any]) -> list[str]:
        bad = []
        for c in list(d.get("citations") or []) + list(d.get("related") or []):
            with self._lock:
                if c["path"] not in self._text:
                    self._text[c["path"]] = (ROOT / c["path"]).read_text(encoding="utf-8")
                text = self._text[c["path"]]
            if text[c["start"]:c["end"]] != c["quote"]:
                bad.append(f"{c['path']}[{c['start']}:{c['end']}] != {c['quote'][:60]!r}")
        return bad


def test_twenty_users_at_once() -> None:
    from gradio_client import Client

    items = _workload()
    kinds = {k for k, _, _ in items}
    assert {"unanswerable", "conversation"} <= kinds and kinds & {"factoid", "paraphrase"}
    files = _Files()

    with running_server([], log_name="load-server.log") as server:
        warm = Client(server.url, verbose=False, download_files=False)
        for _, q, hist in items[:3]:  # the first answers load lazily built parts; measure memory after them
            warm.predict(q, hist, None, api_name="/ask")
        warm.close()
        rss_before = rss_mb(server.pid)

        with ThreadPoolExecutor(USERS) as pool:
            clients = list(pool.map(lambda _: Client(server.url, verbose=False, download_files=False), range(USERS)))
        start_line = threading.Barrier(USERS)
        results: list[dict[str, Any]] = []
        errors: list[str] = []
        lock = threading.Lock()

        def user(i: int) -> None:
            client = clients[i]
            # Each user starts at a different place in the list, so answerable, unanswerable and
            # follow-up questions are in flight together.
            mine = [items[(i * 7 + k) % len(items)] for k in range(PER_USER)]
            start_line.wait()
            for kind, q, hist in mine:
                if time.monotonic() > deadline:
                    break
                t0 = time.perf_counter()
                try:
                    d = client.predict(q, hist, None, api_name="/ask")
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                    with lock:
                        errors.append(f"user {i}: {q[:60]!r}: {type(exc).__name__}: {exc}")
                    continue
                ms = (time.perf_counter() - t0) * 1000
                bad = files.bad_citations(d)
                with lock:
                    results.append({"kind": kind, "ms": ms, "server_ms": (d.get("timings_ms") or {}).get("total"),
                                    "abstained": d["abstained"], "follow_up": bool(hist), "bad": bad,
                                    "answer": bool(d["answer"])})

        deadline = time.monotonic() + DURATION_S  # set before the users start; read by their threads
        t_start = time.perf_counter()
        with ThreadPoolExecutor(USERS) as pool:
            list(pool.map(user, range(USERS)))
        elapsed = time.perf_counter() - t_start
        rss_after = rss_mb(server.pid)
        with open(f"/proc/{server.pid}/status") as fh:
            peak = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
        for c in clients:
            c.close()
        alive = server.proc.poll() is None
    server_errors = logged_errors(server.log())

    latencies = [r["ms"] for r in results]
    server_ms = [r["server_ms"] for r in results if r["server_ms"] is not None]
    report = {
        "users": USERS,
        "duration_s": round(elapsed, 1),
        "requests": len(results) + len(errors),
        "answered": len(results),
        "errors": len(errors),
        "citation_errors": sum(len(r["bad"]) for r in results),
        "abstained": sum(r["abstained"] for r in results),
        "follow_ups": sum(r["follow_up"] for r in results),
        "by_kind": {k: sum(r["kind"] == k for r in results) for k in sorted(kinds)},
        "throughput_qps": round(len(results) / elapsed, 2) if elapsed else None,
        "latency_ms": {
            "p50": round(_percentile(latencies, 50), 1) if latencies else None,
            "p95": round(_percentile(latencies, 95), 1) if latencies else None,
            "max": round(max(latencies), 1) if latencies else None,
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
        },
        "server_answer_ms": {
            "p50": round(_percentile(server_ms, 50), 1) if server_ms else None,
            "p95": round(_percentile(server_ms, 95), 1) if server_ms else None,
        },
        "rss_mb": {"before": round(rss_before, 1), "after": round(rss_after, 1),
                   "growth": round(rss_after - rss_before, 1), "peak": round(peak, 1)},
        "server": {"concurrency": DEFAULT_CONCURRENCY, "max_queue": DEFAULT_QUEUE, "gradio": gradio.__version__},
        "cpus": os.cpu_count(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "notes": "end-to-end /ask latency seen by gradio_client users (queueing included); "
                 "server_answer_ms is Engine.ask alone",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    tmp.replace(OUT)

    assert alive, "the server died under load"
    assert errors == [], errors[:5]
    assert all(r["answer"] for r in results)
    assert [b for r in results for b in r["bad"]] == []
    assert server_errors == [], f"the server logged an error; see {server.log_path}"
    assert len(results) >= USERS, "every user should have had at least one answer"
    assert report["follow_ups"] and report["abstained"], report
    assert rss_after - rss_before < MAX_RSS_GROWTH_MB, report["rss_mb"]
