"""Settle time of every screen switch and plot switch, driving StudyApp with Pilot.

Each round is a fresh interpreter (so "first quiz", "first concept" pay their imports
as a learner does) running the app headless at 100x30 on the bundled pack with a fixed
session seed and a new data directory. It walks a fixed path: open a concept with an
experiment, switch its plots, run it, go back, a whole quiz (check, ``e`` to the
experiment and back, next), its summary, an exam (set-up dialog, every question, its
summary) and the stats screen.

A step's time runs from the moment the key event is sent to *settled*: no worker
pending or running (experiment runs, the next question; not the "claims" worker,
which measures over many seeds in another process how often each fact holds, with
a progress line, and may take a minute, nor the "prefetch" workers, which work ahead
while a screen is read: a quiz runs its question's experiment and the next question's
(in the helper process once it is ready) and draws the figure ``e`` opens on, an
experiment panel draws its other figures), no message
waiting in the app or on any widget of the screen, no layout, repaint or
after-refresh callback outstanding, for three polls in a row 2 ms apart. (Pilot's own
``press``/``pause`` wait for the process to look idle with 20 ms sleeps and would add
40-60 ms to every step, more with a blinking cursor, so they are not used to time.)

    /work/venv/bin/python benchmarks/bench_screens.py [--rounds 3] [--think 0.0]

``--think S`` waits S seconds (then settles again) before each key, as a learner who
reads the screen does: work a screen defers until it is on screen (the claims'
measurement; Home running the highlighted concept's experiment ahead) then happens
between keys, as it does for a person. With the default 0 every key comes at once and
that work lands on the next step.

The *yardstick* is a plain Textual screen (a header, a footer, 40 Statics) pushed five
times before the walk: the machine's speed at the time. A shared machine's speed
swings by a third or more within an hour; compare runs whose yardsticks agree, or
compare two versions back to back.

``cpu`` is the process CPU time the step used (all threads; not the child processes
that measure claims, nor the helper process where the app runs built-in experiments
once it has started, ~1 s after Home shows): a figure that the load of other programs
inflates much less than the wall-clock ``settled``.

Target: every step settled <= 150 ms on this machine (2 cores).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

CHILD = r"""
import asyncio, json, sys, time
from textual import events
from textual.worker import WorkerState
from studyreg.tui import create_app

times = []
CHARS = {"enter": "\r", "escape": "\x1b", "right_square_bracket": "]",
         "left_square_bracket": "[", "ctrl+s": None}

def busy(app):
    # A worker pending or running, a message waiting anywhere on the screen, or a
    # repaint / layout / after-refresh callback not done yet.
    if any(
        w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        and w.group not in ("claims", "prefetch")
        for w in app.workers
    ):
        return True
    screen = app.screen
    if not app._message_queue.empty():
        return True
    for node in screen.walk_children(with_self=True):
        if not node._message_queue.empty():
            return True
    return bool(
        screen._dirty_widgets or screen._layout_required or screen._scroll_required
        or screen._repaint_required or screen._recompose_required or screen._callbacks
    )

async def settle(app, quiet=3):
    # Quiet for `quiet` polls in a row (2 ms apart): a worker's last message is queued.
    calm = 0
    while calm < quiet:
        if app.return_code is not None:  # the app stopped on an error: never quiet, say so
            raise SystemExit(f"the app stopped: {getattr(app, '_exception', None)!r}")
        await asyncio.sleep(0.002)
        calm = 0 if busy(app) else calm + 1

THINK = float(sys.argv[2])

async def step(app, pilot, label, key):
    await settle(app)
    if THINK:
        await asyncio.sleep(THINK)  # a learner reading before the next key
        await settle(app)
    screen = app.screen
    started, cpu = time.perf_counter(), time.process_time()
    app._driver.send_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))
    await settle(app)
    times.append((label, time.perf_counter() - started, time.process_time() - cpu))
    print(label, times[-1][1:], file=sys.stderr, flush=True)

def fill(screen):
    # Put a (not necessarily right) answer in the current widget, without keys.
    from textual.widgets import Input, RadioButton, RadioSet, Select, SelectionList, TextArea
    item, widget = screen.item, screen.answer_widget
    kind = item.type
    if kind in ("numeric", "computed", "short_answer"):
        widget.query_one(Input).value = "1"
    elif kind in ("single_choice", "true_false"):
        list(widget.query_one(RadioSet).query(RadioButton))[0].value = True
    elif kind == "multiple_choice":
        widget.query_one(SelectionList).select(0)
    elif kind == "ordering":
        widget.query_one("#answer-order-text", Input).value = " ".join(
            str(i + 1) for i in range(len(item.options))
        )
    elif kind == "matching":
        for n in range(len(item.options)):
            widget.query_one(f"#match-{n}", Select).value = 0
    elif kind == "free_response":
        widget.query_one(TextArea).text = "An answer."
    return kind

async def answer(app, pilot, screen, label):
    kind = fill(screen)
    if kind == "free_response":
        await step(app, pilot, f"{label}: reveal model answer (free response)", "ctrl+s")
        await step(app, pilot, f"{label}: rate it (free response)", "3")
    await step(app, pilot, f"{label}: check ({kind})", "ctrl+s")
    return kind

async def yardstick(app):
    # The machine's speed now: push and pop a plain Textual screen (a header, a footer,
    # 40 one-line Statics), 5 times; its median settle time is printed with the results.
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static

    class Plain(Screen):
        def compose(self):
            yield Header()
            for n in range(40):
                yield Static(f"line {n}")
            yield Footer()

    for _ in range(5):
        started = time.perf_counter()
        app.push_screen(Plain())
        await settle(app)
        times.append(("yardstick", time.perf_counter() - started, 0.0))
        app.pop_screen()
        await settle(app)

async def main():
    app = create_app(data_dir=sys.argv[1])
    app.session_seed = 7
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app)
        await yardstick(app)
        from studyreg.tui.screens.quiz import QuizScreen
        home = app.home
        tree = home.query_one("#concepts")
        leaf = next(
            node for pack in tree.root.children for node in pack.children
            if node.data.concept.experiment is not None
        )
        tree.move_cursor(leaf)
        await step(app, pilot, "home -> concept (enter)", "enter")
        panel = app.screen.panel
        for n in range(max(0, len(panel.figures) - 1)):
            await step(app, pilot, f"concept: next plot (]) {n + 1}", "right_square_bracket")
        await step(app, pilot, "concept: previous plot ([)", "left_square_bracket")
        await step(app, pilot, "concept: run (r)", "r")
        await step(app, pilot, "concept -> home (escape)", "escape")
        await step(app, pilot, "home -> quiz (q)", "q")
        n = 0
        while isinstance(app.screen, QuizScreen) and app.screen.item is not None:
            n += 1
            screen = app.screen
            await answer(app, pilot, screen, "quiz")
            if screen.check_action("experiment", ()):
                await step(app, pilot, "quiz -> experiment (e)", "e")
                await step(app, pilot, "experiment -> quiz (escape)", "escape")
            label = "quiz: next question (n)" if screen.session.remaining else "quiz -> summary (n)"
            await step(app, pilot, label, "n")
        await step(app, pilot, "summary -> home (escape)", "escape")
        await step(app, pilot, "home -> exam dialog (x)", "x")
        await step(app, pilot, "exam dialog -> exam (enter)", "enter")
        while isinstance(app.screen, QuizScreen) and app.screen.item is not None:
            screen = app.screen
            remaining = screen.session.remaining
            kind = fill(screen)
            if kind == "free_response":
                await step(app, pilot, "exam: reveal model answer (free response)", "ctrl+s")
                await step(app, pilot, "exam: rate it (free response)", "3")
            label = "exam: answer -> next question" if remaining else "exam -> summary"
            await step(app, pilot, label, "ctrl+s")
        await step(app, pilot, "summary -> home (escape)", "escape")
        await step(app, pilot, "home -> stats (s)", "s")
        await step(app, pilot, "stats -> home (escape)", "escape")
    print(json.dumps(times))

asyncio.run(main())
"""


def run_round(think: float) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as data_dir:
        child = subprocess.run(
            [sys.executable, "-c", CHILD, data_dir, str(think)], capture_output=True, text=True
        )
    if child.returncode != 0:
        raise SystemExit(f"benchmark child failed (exit {child.returncode}):\n{child.stderr}")
    return [tuple(row) for row in json.loads(child.stdout.strip().splitlines()[-1])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds between settled and the next key (a learner reading; default 0: "
        "keys at once, so work a screen does while it is being read counts too)",
    )
    args = parser.parse_args()
    # Bytecode for studyreg as an installed package has it (see bench_startup.py).
    import studyreg

    compileall.compile_dir(os.path.dirname(studyreg.__file__), quiet=1)
    settled: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    order: list[str] = []
    yardstick: list[float] = []
    for _ in range(args.rounds):
        for label, settle, used in run_round(args.think):
            if label == "yardstick":
                yardstick.append(settle)
                continue
            if label not in order:
                order.append(label)
            settled[label].append(settle)
            cpu[label].append(used)
    print(
        f"rounds: {args.rounds}; think {args.think} s; 100x30 headless; ms, median (max) "
        "over every occurrence"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(
        "yardstick (a plain Textual screen with a header, a footer and 40 Statics, "
        f"pushed): {statistics.median(yardstick) * 1000:.0f} ms"
    )
    print(f"{'step':48s} {'n':>3s} {'settled':>8s} {'max':>6s} {'cpu':>6s}")
    over = 0
    for label in order:
        s = settled[label]
        flag = "" if statistics.median(s) <= 0.150 else "  > 150"
        over += bool(flag)
        print(
            f"{label:48s} {len(s):3d} {statistics.median(s) * 1000:8.0f} {max(s) * 1000:6.0f}"
            f" {statistics.median(cpu[label]) * 1000:6.0f}{flag}"
        )
    print(f"steps over 150 ms (median settled): {over} of {len(order)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
