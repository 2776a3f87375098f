"""Time to first screen: StudyApp against a minimal Textual app (Header, Static, Footer).

Each round starts a fresh interpreter that runs the app headless (``run_test``) and
prints a line as soon as ``run_test`` hands over, i.e. once the app is ready: the first
screen composed, mounted and refreshed; the time is taken
in this process from launch to that line, so interpreter start-up and imports count.
The two apps alternate so that disk caches and CPU noise hit both alike.
StudyApp's first screen is Home (packs load in a worker right after); "packs listed"
is also reported: the time until the Home tree is filled.

    /work/venv/bin/python benchmarks/bench_startup.py [--rounds 10]
Target: study / minimal <= 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

MINIMAL = """
import asyncio
from textual.app import App
from textual.widgets import Footer, Header, Static
class Minimal(App):
    def compose(self):
        yield Header(); yield Static("hello"); yield Footer()
async def main():
    app = Minimal()
    async with app.run_test(size=(100, 30)) as pilot:
        print("first", flush=True)
asyncio.run(main())
"""

STUDY = """
import asyncio, sys
from studyreg.tui import create_app
async def main():
    app = create_app(data_dir=sys.argv[1], store=None)
    async with app.run_test(size=(100, 30)) as pilot:
        print("first", flush=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        print("packs", flush=True)
asyncio.run(main())
"""


def time_lines(code: str, *args: str) -> dict[str, float]:
    """Seconds from launch until each marker line the child prints."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    marks: dict[str, float] = {}
    assert child.stdout is not None
    for line in child.stdout:
        marks[line.strip()] = time.perf_counter() - start
    if child.wait() != 0 or "first" not in marks:
        raise SystemExit(f"benchmark child failed (exit {child.returncode})")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    minimal, study, packs = [], [], []
    with tempfile.TemporaryDirectory() as data_dir:
        time_lines(MINIMAL)  # warm the disk cache for both
        time_lines(STUDY, data_dir)
        for _ in range(args.rounds):
            minimal.append(time_lines(MINIMAL)["first"])
            marks = time_lines(STUDY, data_dir)
            study.append(marks["first"])
            packs.append(marks.get("packs", float("nan")))
    m, s, p = statistics.median(minimal), statistics.median(study), statistics.median(packs)
    print(f"rounds: {args.rounds}")
    print(f"minimal app, first screen: median {m * 1000:.0f} ms")
    print(f"StudyApp,    first screen: median {s * 1000:.0f} ms")
    print(f"StudyApp,    packs listed: median {p * 1000:.0f} ms")
    print(f"ratio (first screen): {s / m:.2f}  (target <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
