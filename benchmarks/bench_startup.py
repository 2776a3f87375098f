"""Time until the pack is on screen: StudyApp against a minimal Textual app.

Each round starts a fresh interpreter that runs the app headless (``run_test`` at
100x30) and prints a marker line at each stage; the times are taken in this process
from launch to each line, so interpreter start-up and imports count. The apps
alternate so that disk caches and CPU noise hit both alike.

- minimal ``first``: a bare Textual app (Header, Static, Footer) has painted its
  first frame: ``run_test`` has handed over (the first screen composed and mounted),
  every queued message is handled and no repaint or layout is outstanding.
- StudyApp ``first``: Home's first frame.
- StudyApp ``visible``: the Home tree holds the pack's concepts, every queued message
  is handled and no repaint is outstanding, i.e. the concept titles are on screen
  (checked on a screenshot taken then: the round fails if the first concept's title
  is not in it). With an up-to-date catalog cache this is the first frame itself.
- StudyApp ``ready``: the validated catalog and the progress store are loaded (keys
  such as enter, q, x work; progress labels shown).

Two StudyApp variants: ``warm`` (the catalog cache in the data directory is up to
date, the usual case) and ``cold`` (the cache is removed before each round: the
first launch, or after any edit of the pack).

    /work/venv/bin/python benchmarks/bench_startup.py [--rounds 10]

``cpu`` is the child's CPU time at the marker (all threads, interpreter start-up
included): on a machine shared with other busy programs the wall-clock figures wander
(x1.5 from one run to the next at load 4-6), the CPU figures much less.

Target: visible (warm) / minimal first <= 1.3.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAINTED = """
async def painted(app, pilot):
    # every queued message handled, then no repaint or layout outstanding (not
    # pilot.pause(), which waits for the whole process, worker included, to idle)
    await pilot._wait_for_screen()
    screen = app.screen
    while (screen._dirty_widgets or screen._layout_required or screen._repaint_required
           or screen._scroll_required):
        await asyncio.sleep(0.001)
"""

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
        await painted(app, pilot)
        print("first", time.process_time(), flush=True)
asyncio.run(main())
"""

STUDY = """
import asyncio, sys
from studyreg.tui import create_app

def leaves(app):
    home = app.home
    if home is None or not home.is_mounted:
        return []
    tree = home.query_one("#concepts")
    if tree.has_class("hidden"):
        return []
    return [leaf for node in tree.root.children for leaf in node.children]


async def main():
    app = create_app(data_dir=sys.argv[1])
    async with app.run_test(size=(100, 30)) as pilot:
        await painted(app, pilot)
        print("first", time.process_time(), flush=True)
        if not leaves(app):  # else the first frame has them (the catalog cache)
            while not leaves(app):
                await asyncio.sleep(0.001)
            await painted(app, pilot)
        print("visible", time.process_time(), flush=True)
        shown = app.export_screenshot().replace("&#160;", " ")
        first_leaf = str(leaves(app)[0].label).split("  ")[0]
        if first_leaf not in shown:
            raise SystemExit(f"{first_leaf!r} is not on screen when visible")
        while app.catalog is None:
            await asyncio.sleep(0.001)
        await painted(app, pilot)
        print("ready", time.process_time(), flush=True)
        await app.workers.wait_for_complete()
        first_title = app.catalog.packs[0].concepts[0].title
        if first_title not in app.export_screenshot().replace("&#160;", " "):
            raise SystemExit(f"{first_title!r} is not on screen")
        print("checked", flush=True)
asyncio.run(main())
"""


def time_lines(code: str, *args: str) -> dict[str, tuple[float, float]]:
    """Seconds from launch until each marker line the child prints, and the child's CPU
    seconds (all threads, interpreter start-up included) at that line."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", "import asyncio, time\n" + PAINTED + code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    marks: dict[str, tuple[float, float]] = {}
    assert child.stdout is not None and child.stderr is not None
    for line in child.stdout:
        name, _, cpu = line.strip().partition(" ")
        marks.setdefault(name, (time.perf_counter() - start, float(cpu or "nan")))
    error = child.stderr.read()
    if child.wait() != 0 or "first" not in marks:
        raise SystemExit(f"benchmark child failed (exit {child.returncode}):\n{error}")
    if code is STUDY and "checked" not in marks:
        raise SystemExit(f"the pack was not seen on screen:\n{error}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    # Bytecode for studyreg as an installed package has it (pip compiles on install, and
    # Python caches it on the first run): with PYTHONDONTWRITEBYTECODE set, an editable
    # checkout would otherwise compile every module at every launch, and textual's
    # installed modules would not.
    import studyreg

    compileall.compile_dir(Path(studyreg.__file__).parent, quiet=1)
    minimal: list[tuple[float, float]] = []
    stages = ("first", "visible", "ready")
    warm: dict[str, list[tuple[float, float]]] = {stage: [] for stage in stages}
    cold: dict[str, list[tuple[float, float]]] = {stage: [] for stage in stages}
    with tempfile.TemporaryDirectory() as data_dir:
        cache = Path(data_dir) / "cache"
        time_lines(MINIMAL)  # warm the disk cache for both, and write the catalog cache
        time_lines(STUDY, data_dir)
        for _ in range(args.rounds):
            minimal.append(time_lines(MINIMAL)["first"])
            for key, value in time_lines(STUDY, data_dir).items():
                warm.get(key, []).append(value)
            shutil.rmtree(cache, ignore_errors=True)
            for key, value in time_lines(STUDY, data_dir).items():
                cold.get(key, []).append(value)

    def med(values: list[tuple[float, float]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    m_wall, m_cpu = med(minimal, 0), med(minimal, 1)
    print(f"rounds: {args.rounds}; medians from launch to marker, 100x30 headless")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{'':34s} {'wall':>8s} {'ratio':>6s} {'cpu':>8s} {'ratio':>6s}")
    print(
        f"{'minimal Textual app, first frame':34s} {m_wall * 1000:5.0f} ms {'':6s} "
        f"{m_cpu * 1000:5.0f} ms"
    )
    for label, marks in (("warm cache", warm), ("cold cache", cold)):
        for stage in stages:
            wall, cpu = med(marks[stage], 0), med(marks[stage], 1)
            print(
                f"{'StudyApp ' + label + ', ' + stage:34s} {wall * 1000:5.0f} ms "
                f"{wall / m_wall:5.2f}x {cpu * 1000:5.0f} ms {cpu / m_cpu:5.2f}x"
            )
    ratio = med(warm["visible"], 0) / m_wall
    cpu_ratio = med(warm["visible"], 1) / m_cpu
    print(
        f"pack visible (warm) / minimal first frame: {ratio:.2f} wall, {cpu_ratio:.2f} cpu"
        "  (target <= 1.3)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
