"""Garbage-collector settings for the TUI process.

Textual makes tens of thousands of short-lived objects per frame (strips, segments and
their caches). With CPython's default thresholds (700, 10, 10) many of them outlive a
young collection by a moment, get promoted, and full collections then run every screen
or two, each walking the whole heap: 40-300 ms on this project's 2-core machines, longer
as a session goes on, and the cause of screen switches that took twice as long at random
(``benchmarks/bench_screens.py``). A larger young threshold lets them die young. What
start-up built and keeps (modules, the catalog) is frozen out of every full collection.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def tune() -> None:
    """Collect the young generation every ``YOUNG_THRESHOLD`` allocations, not 700."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)


def freeze_startup() -> None:
    """Move everything alive now (start-up's modules and catalog) to the permanent
    generation, which full collections skip. Call once, when start-up is done."""
    gc.freeze()
