"""``studyreg serve`` answers a browser on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "studyreg",
            "--data-dir",
            str(tmp_path),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def test_serve_returns_the_app_page(server: str) -> None:
    with urllib.request.urlopen(server, timeout=10) as response:
        page = response.read().decode("utf-8")
    assert response.status == 200
    assert "data-session-websocket-url" in page  # the terminal that connects to the app
    assert "xterm" in page


def test_serve_refuses_a_bad_port() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "studyreg", "serve", "--port", "70000"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "not a port number" in out.stderr and "Traceback" not in out.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"
)
def test_headless_chromium_shows_the_pack_title(server: str) -> None:
    profile = tempfile.mkdtemp()
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        server,
    ]
    out = subprocess.run([CHROMIUM, *flags], capture_output=True, text=True, timeout=90)
    assert "studyreg" in out.stdout
