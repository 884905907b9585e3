"""Start the real chat server (``python -m ui``) on a free loopback port, for tests that talk to it."""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
START_TIMEOUT = 180  # loading the model on a busy two-core machine can take a while
_TRACEBACK = "Traceback (most recent call last):"


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    proc: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(args: Sequence[str] = (), *, log_name: str = "ui-server.log",
                   env: dict[str, str] | None = None) -> Iterator[Server]:
    """``python -m ui ARGS --port PORT`` from the repo root; stopped on exit. ``args`` may omit ``--host``."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = ARTIFACTS / log_name
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_HOST", "RAG_PORT", "GRADIO_SERVER"))}
    full_env = {**base, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "ui", *args, "--port", str(port)],
                                cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(url, port, proc, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the UI server exited ({proc.returncode}):\n{server.log()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the UI server did not start:\n{server.log()[-3000:]}")
            time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def logged_errors(log: str) -> list[str]:
    """Tracebacks in a server log, except those Gradio prints for a ``gr.Error`` (a bad question)."""
    return [t for t in log.split(_TRACEBACK)[1:] if "gradio.exceptions.Error:" not in t]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from ``/proc/PID/status``."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in os.listdir(f"/proc/{p}/task"):
            try:
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
            except OSError:
                pass
    return pids


def _addr(hex_addr: str) -> str:
    raw = bytes.fromhex(hex_addr)
    # /proc/net/* prints each 32-bit word of the address in host (little-endian) order.
    fixed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(fixed))


def bound_sockets(pid: int) -> list[tuple[str, str, int]]:
    """(protocol, address, port) of every listening TCP socket and bound UDP socket of a process and its children."""
    found: list[tuple[str, str, int]] = []
    for p in _process_tree(pid):
        inodes = set()
        for fd in os.listdir(f"/proc/{p}/fd"):
            try:
                m = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(f"/proc/{p}/fd/{fd}"))
            except OSError:
                continue
            if m:
                inodes.add(m.group(1))
        for proto in ("tcp", "tcp6", "udp", "udp6"):
            with open(f"/proc/{p}/net/{proto}") as fh:
                rows = [line.split() for line in fh.readlines()[1:]]
            for row in rows:
                local, state, inode = row[1], row[3], row[9]
                # TCP: only listeners (state 0A); UDP: anything bound to a port.
                if inode in inodes and (state == "0A" if proto.startswith("tcp") else True):
                    host, port = local.split(":")
                    found.append((proto, _addr(host), int(port, 16)))
    return found
