"""A helper process that runs built-in and plugin experiments for the TUI.

The TUI runs experiments in thread workers: the next question's while the learner
reads, the highlighted concept's on Home, a concept's when it opens. A run is NumPy
code with many small array operations that hold the GIL, so a 50-300 ms run in a
thread takes turns with the UI thread, and the key pressed meanwhile waits for it
(``e`` after answering took ~250 ms instead of ~100). Run in this helper, the same
run uses the other core; only its pickled result (well under 1 ms to send for every
built-in) crosses back, and it lands in ``lab``'s cache like any run.

The helper is a pool of ``WORKERS`` processes started by ``forkserver`` (which has
imported the experiments once, so a worker is ready in a fraction of a second);
:func:`start` starts it in the background, and until it answers a first ping
:func:`run` says :class:`Unavailable` and the caller runs in-process as before. So
does any failure of the helper itself: an experiment only this process knows, a
result that cannot be sent, a helper that died. A run's own error (it diverged, a
rule across parameters) is raised as the run here would raise it. Results are the
same either way: a run is a pure function of (experiment, parameters, seed), which
the tests check experiment by experiment.

Only a front end that keeps a UI thread responsive starts it (the TUI); the CLI,
plain mode and validation run in-process.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from studyreg.experiments import Result

__all__ = ["WORKERS", "Unavailable", "ready", "run", "start", "stop"]

WORKERS = 2  # work ahead and a run asked for at the same time do not queue

enabled = True  # the TUI tests turn it off, except those that test the helper
_pool: ProcessPoolExecutor | None = None
_ping: Future[int] | None = None
_lock = threading.Lock()


class Unavailable(Exception):
    """The helper cannot give this run (not started, not ready yet, failed): run it here."""


def _pong() -> int:
    return 1


def start() -> None:
    """Start the helper if it is not running; returns before it is ready.

    Call it off the UI thread: starting the fork server spawns a process. Never
    raises: without a helper, runs stay in-process.
    """
    global _pool, _ping
    with _lock:
        if _pool is not None or not enabled:
            return
        try:
            from concurrent.futures import ProcessPoolExecutor

            from studyreg.study.verify_runs import pool_context

            _pool = ProcessPoolExecutor(WORKERS, mp_context=pool_context())
            _ping = _pool.submit(_pong)
        except Exception:  # noqa: BLE001 - no helper on this platform: run in-process
            _pool, _ping = None, None


def ready() -> bool:
    """True once the helper has answered its first ping (and has not failed since)."""
    ping = _ping
    return ping is not None and ping.done() and not ping.cancelled() and ping.exception() is None


def run(name: str, params: Mapping[str, Any], seed: int) -> Result:
    """Run the in-process experiment ``name`` in the helper and return its result.

    Raises
    ------
    ExperimentError
        The run's own error, as running it here would raise it.
    Unavailable
        If the helper is not ready or cannot do this run.
    """
    pool = _pool
    if pool is None or not ready():
        raise Unavailable("the helper is not ready")
    from concurrent.futures.process import BrokenProcessPool

    from studyreg.experiments import ExperimentError

    try:
        result = pool.submit(_run_there, name, dict(params), int(seed)).result()
    except ExperimentError:
        raise  # the run's own error (it diverged, a rule across parameters): as here
    except BrokenProcessPool:
        stop()  # a worker died (killed, out of memory): in-process from now on
        raise Unavailable("the helper stopped") from None
    except Exception as error:  # noqa: BLE001 - the caller's own run reports it
        raise Unavailable(f"{type(error).__name__}: {error}") from None
    if result is None:
        raise Unavailable(f"the helper does not know {name!r}")
    return result


def _run_there(name: str, params: dict[str, Any], seed: int) -> Result | None:
    """In the helper: the run, or None for an experiment only the app's process knows
    (a plugin installed after the helper started)."""
    from studyreg.experiments import experiment_names, run_experiment

    if name not in experiment_names():
        return None
    return run_experiment(name, params, seed)


def stop() -> None:
    """Stop the helper without waiting for a run under way (the app is closing)."""
    global _pool, _ping
    with _lock:
        pool, _pool, _ping = _pool, None, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
