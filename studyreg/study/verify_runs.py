"""Running the experiments a verification needs: a process pool where it helps.

Built-in and plugin experiments (``lab.parallel_safe``) are split into
(combination, seed chunk) tasks for a ``ProcessPoolExecutor``; each worker calls
``studyreg.experiments.run_experiment`` and sends back only the run's parameters and
scalar outputs (no arrays), so little crosses between processes. A pack's own
experiments run in their own isolated processes, several warm sandboxes of the pack
at once (``lab.run_pack_batch``). When the whole job would take less than ``POOL_THRESHOLD_S``
serially, no pool is started: starting one costs more than it saves; except for a caller
that ``offload``s (the TUI), whose runs all go to a pool so its UI keeps the interpreter.
"""

from __future__ import annotations

import math
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

POOL_THRESHOLD_S = 2.0
CHUNKS_PER_WORKER = 3  # enough tasks to even out the load, few enough to keep IPC small
# At most about this long per chunk: a chunk under way runs to its end, so a cancel (the
# learner leaves the concept, the app closes) waits for it. Chunks of a network's runs
# (~0.3 s each) by CHUNKS_PER_WORKER alone held the app's exit for ~20 s.
CHUNK_S = 0.5

# One run's outcome: its environment (params + outputs) or the error text, and seconds.
Outcome = tuple[dict[str, Any] | str, float]


@dataclass(frozen=True)
class Job:
    """Run ``name`` at ``params`` for each of ``seeds``."""

    name: str
    params: dict[str, Any]
    seeds: tuple[int, ...]
    scope: str | None = None
    parallel: bool = True  # may run in a pool worker (built-in or plugin)


def run_seeds(name: str, params: dict[str, Any], seeds: Sequence[int]) -> list[Outcome]:
    """Run an in-process experiment at each seed (what a pool worker does)."""
    from studyreg.experiments import ExperimentError, run_experiment

    # Bug or not, one failing run must not sink the report (nor a pool worker).

    out: list[Outcome] = []
    for seed in seeds:
        started = time.perf_counter()
        try:
            result = run_experiment(name, params, seed)
        except ExperimentError as error:
            out.append((str(error), time.perf_counter() - started))
            continue
        except Exception as error:  # noqa: BLE001 - a bug in an experiment is reported, per run
            out.append((f"{type(error).__name__}: {error}", time.perf_counter() - started))
            continue
        out.append(({**result.params, **result.outputs}, time.perf_counter() - started))
    return out


def _run_serial(job: Job, seeds: Sequence[int]) -> list[Outcome]:
    from studyreg.study import lab

    if job.parallel:
        return run_seeds(job.name, job.params, seeds)
    out: list[Outcome] = []
    for seed in seeds:
        started = time.perf_counter()
        try:
            result = lab.run(job.name, job.params, seed, scope=job.scope)
        except lab.ExperimentError as error:
            out.append((str(error), time.perf_counter() - started))
            continue
        out.append(({**result.params, **result.outputs}, time.perf_counter() - started))
    return out


def _run_sandboxed(job: Job, seeds: Sequence[int], workers: int) -> list[Outcome]:
    """A pack's own experiment at ``seeds``, spread over ``workers`` warm sandboxes."""
    from studyreg.study import lab

    if workers <= 1 or job.scope is None:
        return _run_serial(job, seeds)
    started = time.perf_counter()
    tasks = [(job.params, seed) for seed in seeds]
    try:
        results = lab.run_pack_batch(job.name, job.scope, tasks, processes=workers)
    except lab.ExperimentError as error:  # locked, or not a pack experiment after all
        return [(str(error), 0.0) for _ in seeds]
    # Wall time shared over the batch: what one run costs with ``workers`` in parallel.
    each = (time.perf_counter() - started) * workers / max(1, len(seeds))
    out: list[Outcome] = []
    for result in results:
        if isinstance(result, lab.ExperimentError):
            out.append((str(result), each))
        else:
            out.append(({**result.params, **result.outputs}, each))
    return out


def plan_chunks(
    jobs: Sequence[Job], pooled: Sequence[int], per_run: dict[int, float], workers: int
) -> list[tuple[int, int, tuple[int, ...]]]:
    """The seeds after each pooled job's first, as (job, index of the chunk's first seed,
    seeds). For ``workers`` pool processes: about ``CHUNKS_PER_WORKER`` chunks each, none
    priced over ``CHUNK_S`` (``per_run``: a job's seconds per run), the longest first so
    that no worker is left with a long tail. Without a pool (0): seed by seed, so that
    progress (and a cancel) comes often."""
    chunks: list[tuple[int, int, tuple[int, ...]]] = []
    for j in pooled:
        rest = jobs[j].seeds[1:]
        size = 1
        if workers:
            even = math.ceil(len(rest) / (workers * CHUNKS_PER_WORKER))
            size = max(1, min(even, int(CHUNK_S / max(per_run[j], 1e-9))))
        chunks += [(j, 1 + i, rest[i : i + size]) for i in range(0, len(rest), size)]
    if workers:
        chunks.sort(key=lambda c: -per_run[c[0]] * len(c[2]))
    return chunks


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    try:
        return ProcessPoolExecutor(workers, mp_context=pool_context())
    except Exception:  # noqa: BLE001 - no pool (odd platform, no stderr): run serially
        return None


def _job_args(
    jobs: Sequence[Job], chunk: tuple[int, int, tuple[int, ...]]
) -> tuple[str, dict[str, Any], tuple[int, ...]]:
    job = jobs[chunk[0]]
    return job.name, job.params, chunk[2]


def pool_context() -> Any:
    """How to start pool workers: ``fork`` (cheap, nothing re-imported) from a process
    with one thread; from a threaded one (the TUI runs this in a thread worker), where
    forking may copy a held lock, ``forkserver`` preloading the experiments once."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context: Any
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["studyreg.study.verify_runs", "studyreg.experiments"])
    else:
        context = multiprocessing.get_context("spawn")
    # The helper processes pass on sys.stderr's file descriptor; a TUI has swapped
    # sys.stderr for a capture without one, so they start once with the real one.
    with _usable_stderr():
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
        if "forkserver" in methods:
            from multiprocessing import forkserver

            forkserver.ensure_running()
    return context


@contextmanager
def _usable_stderr() -> Iterator[None]:
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    saved, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = saved


def execute(
    jobs: Sequence[Job],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
    *,
    offload: bool = False,
) -> tuple[list[list[Outcome]], int]:
    """Outcomes of every job, in job order and seed order (whatever ran where), and the
    number of pool processes that ran them (0: all ran in this process).

    ``offload`` uses a pool even with one worker, so that a UI thread in this process
    keeps the interpreter while the experiments run.
    """
    total = sum(len(job.seeds) for job in jobs)
    results: list[list[Outcome | None]] = [[None] * len(job.seeds) for job in jobs]
    done = 0

    def record(j: int, first: int, outcomes: list[Outcome]) -> None:
        nonlocal done
        results[j][first : first + len(outcomes)] = outcomes
        done += len(outcomes)
        if progress is not None:
            progress(done, total)

    pooled = [j for j, job in enumerate(jobs) if job.parallel and job.seeds]
    per_run: dict[int, float] = {}

    def record_probe(j: int, outcomes: list[Outcome]) -> None:  # it also prices the rest
        record(j, 0, outcomes)
        per_run[j] = outcomes[0][1]

    # With ``offload`` every run goes to the pool, the probe too: a first seed run here
    # (up to ~0.3 s for a network) would take the interpreter from the UI.
    pool = _start_pool(workers) if offload and pooled else None
    pending: dict[Future[list[Outcome]], tuple[int, int, tuple[int, ...]]] = {}
    leftover: list[tuple[int, int, tuple[int, ...]]] = []
    completed = False
    try:
        if pool is not None:
            try:
                probes = [
                    (j, pool.submit(run_seeds, *_job_args(jobs, (j, 0, jobs[j].seeds[:1]))))
                    for j in pooled
                ]
                pending.update({probe: (j, 0, jobs[j].seeds[:1]) for j, probe in probes})
                for j, probe in probes:
                    outcomes = probe.result()
                    del pending[probe]
                    record_probe(j, outcomes)
            except BrokenProcessPool:  # workers could not start: as without a pool
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
        for j in pooled:  # without a pool the first seed of each job runs here
            if j not in per_run:
                record_probe(j, run_seeds(jobs[j].name, jobs[j].params, jobs[j].seeds[:1]))
        estimate = sum(per_run[j] * (len(jobs[j].seeds) - 1) for j in pooled)
        use_pool = pool is not None or (workers > 1 and estimate >= POOL_THRESHOLD_S)
        chunks = plan_chunks(jobs, pooled, per_run, workers if use_pool else 0)
        if use_pool and pool is None:
            pool = _start_pool(workers)
        leftover = [] if pool is not None else chunks
        if pool is not None:
            try:
                for chunk in chunks:
                    pending[pool.submit(run_seeds, *_job_args(jobs, chunk))] = chunk
            except Exception:  # noqa: BLE001 - whatever stops workers starting, run here
                leftover = [c for c in chunks if c not in pending.values()]

        def collect(timeout: float | None) -> None:
            finished, _ = wait(list(pending), timeout=timeout, return_when=FIRST_COMPLETED)
            for future in finished:
                chunk = pending.pop(future)
                try:
                    record(chunk[0], chunk[1], future.result())
                except BrokenProcessPool:
                    # Workers could not start (e.g. a script without a __main__ guard
                    # under forkserver): what is left runs here, serially.
                    leftover.extend([chunk, *pending.values()])
                    pending.clear()
                    return

        for j, job in enumerate(jobs):  # a pack's own experiments, while the pool works
            if not job.parallel:
                # In batches over ``workers`` sandboxes of the pack: small enough that
                # progress (and a cancel) still comes often.
                step = max(1, workers) * 2
                for i in range(0, len(job.seeds), step):
                    record(j, i, _run_sandboxed(job, job.seeds[i : i + step], workers))
                    if pending:
                        collect(0)
        while pending:
            collect(None)
        for chunk in sorted(leftover):
            record(chunk[0], chunk[1], run_seeds(*_job_args(jobs, chunk)))
        completed = True
    finally:
        if pool is not None:
            # Stopped early (a progress callback raised: the user left, the app closes):
            # do not wait, and cancel what has not started here. ``cancel_futures``
            # alone does not: once this function returns the executor is collected,
            # and its manager thread, finding it gone, runs every queued chunk (the
            # app's exit waited ~15 s for a network's claims).
            for future in pending:
                future.cancel()
            pool.shutdown(wait=completed, cancel_futures=True)
    if pool is None or leftover:
        workers = 0
    assert all(o is not None for runs in results for o in runs)
    return results, workers  # type: ignore[return-value]
