"""Experiments as study sees them: found by name from a pack, run (cached), reproducible.

A concept names an experiment; :func:`resolve` finds it. Seen from a pack folder
(``ExperimentRef.scope``) the pack's own ``experiments/NAME.py`` comes first; those
run only once the user trusts the pack, and then only in the pack's isolated worker
process. Everything else is a built-in or an installed plugin, run in-process, or in the
helper process once a front end with a UI thread has started it (``helper``).
Every front end (CLI, TUI, plain mode, validation) goes through here.
"""

from __future__ import annotations

import contextlib
import shlex
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyreg.experiments import (
    ExperimentError,
    ExperimentSpec,
    ParameterError,
    Result,
    experiment_names,
    experiment_spec,
    run_experiment,
    validate_params,
)
from studyreg.sandbox import pack_experiment_files
from studyreg.study import helper

if TYPE_CHECKING:  # the worker (subprocess and friends) loads only for a pack's own code
    from studyreg.sandbox.worker import Limits, PackWorker

from studyreg.study.trust import (
    TrustStore,
    current_trust_store,
    untrusted_message,
    use_trust_store,
)

__all__ = [
    "ExperimentError",
    "ExperimentSpec",
    "LockedExperiment",
    "ParameterError",
    "Result",
    "command_line",
    "parallel_safe",
    "param_bounds",
    "resolve",
    "run",
    "spec",
    "use_trust_store",
    "validate",
    "warm",
]

CACHE_SIZE = 256


class LockedExperiment(ExperimentError):
    """The experiment is a pack's own code and the user has not trusted that pack (yet)."""

    def __init__(self, root: str, files: tuple[str, ...]) -> None:
        super().__init__(untrusted_message(root, files))
        self.root, self.files = root, files


@dataclass(frozen=True)
class Handle:
    """One resolved experiment: its description and how to validate and run it."""

    spec: ExperimentSpec
    worker: PackWorker | None = None  # None: in-process (built-in or plugin)
    digest: str = ""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def in_process(self) -> bool:
        return self.worker is None

    def validate(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        if self.worker is None:
            return validate_params(self.name, params).model_dump()
        return self.worker.validate(self.name, dict(params or {}))

    def check_locally(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Like :meth:`validate`, without asking a worker process: safe on a UI thread.

        For a pack experiment this checks types and bounds only; a check across
        parameters in the pack's own code is reported when the run starts.
        """
        if self.worker is None:
            return validate_params(self.name, params).model_dump()
        return self.spec.check(params or {})

    def run(self, params: Mapping[str, Any], seed: int) -> Result:
        if self.worker is None:
            if helper.ready():  # the TUI started it: the run leaves the UI's process
                with contextlib.suppress(helper.Unavailable):
                    return helper.run(self.name, params, seed)
            return run_experiment(self.name, params, seed)
        return self.worker.run(self.name, dict(params), int(seed))


# --- trust -------------------------------------------------------------------------

_state_lock = threading.Lock()


def trust_store() -> TrustStore:
    return current_trust_store()


# --- resolving -----------------------------------------------------------------------

_workers: dict[tuple[str, str], PackWorker] = {}


def pack_experiment_names(scope: str | None) -> list[str]:
    """Names of a pack's own experiments, from its file names (nothing is imported)."""
    return sorted(pack_experiment_files(scope)) if scope else []


def shadowing(scope: str | None) -> list[str]:
    """The pack's own experiments that carry a built-in's or plugin's name (not allowed)."""
    own = pack_experiment_names(scope)
    if not own:  # most packs: no code, and no need to look for plugins
        return []
    shared = set(experiment_names())
    return [name for name in own if name in shared]


def resolve(name: str, scope: str | None = None) -> Handle:
    """The experiment ``name`` as seen from the pack folder ``scope``.

    Raises
    ------
    LockedExperiment
        If it is the pack's own code and the pack is not trusted with this code.
    ExperimentError
        If no experiment has that name (listing the known ones), or a pack
        experiment would shadow a built-in.
    """
    if scope and name in pack_experiment_files(scope):
        if name in experiment_names():
            raise ExperimentError(
                f"{scope}: experiments/{name}.py may not shadow the built-in experiment "
                f"{name!r}; rename the file (and EXPERIMENT.name)"
            )
        status = trust_store().status(scope)
        if not status.trusted:
            raise LockedExperiment(status.root, status.files)
        worker = _worker(status.root, status.digest)
        return Handle(worker.describe(name), worker, status.digest)
    try:
        return Handle(experiment_spec(name))
    except ExperimentError as error:
        local = pack_experiment_names(scope)
        if local and str(error).startswith("unknown experiment"):
            raise ExperimentError(f"{error}; this pack's own: {', '.join(local)}") from None
        raise


def _worker(root: str, digest: str) -> PackWorker:
    from studyreg.sandbox.worker import PackWorker

    with _state_lock:
        key = (root, digest)
        if key not in _workers:
            for old in [k for k in _workers if k[0] == root]:  # the code changed
                _workers.pop(old).close()
            _workers[key] = PackWorker(root, _limits(root))
        return _workers[key]


def _limits(root: str) -> Limits:
    from studyreg.content import PackError, read_pack_meta
    from studyreg.sandbox.worker import Limits

    try:
        limits = read_pack_meta(Path(root)).limits
    except PackError:
        return Limits()
    return Limits(timeout_s=limits.timeout_s, memory_mb=limits.memory_mb)


def spec(name: str, scope: str | None = None) -> ExperimentSpec:
    return resolve(name, scope).spec


def param_bounds(name: str, scope: str | None = None) -> dict[str, tuple[Any, Any]]:
    return resolve(name, scope).spec.bounds


def validate(
    name: str, params: Mapping[str, Any] | None, scope: str | None = None
) -> dict[str, Any]:
    """Checked parameters with defaults filled in; ParameterError says what is wrong."""
    return resolve(name, scope).validate(params)


def parallel_safe(name: str, scope: str | None = None) -> bool:
    """True when ``name`` (seen from ``scope``) runs in-process: a built-in or a plugin.

    Such runs may be spread over a process pool by calling
    ``studyreg.experiments.run_experiment`` there; pack-local experiments may not
    (they run only in their own isolated worker).
    """
    return not (scope and name in pack_experiment_files(scope))


# --- running -------------------------------------------------------------------------

_extra_workers: dict[tuple[str, str], list[PackWorker]] = {}


def run_pack_batch(
    name: str,
    scope: str,
    tasks: Sequence[tuple[Mapping[str, Any], int]],
    *,
    processes: int = 2,
) -> list[Result | ExperimentError]:
    """Run a pack's own experiment at many (params, seed) points on ``processes`` sandboxes.

    For verification: each sandbox is a separate warm child process of the same trusted
    code, so the runs spread over the cores. Results come back in task order; a failed
    run is its ``ExperimentError``. Nothing is cached.
    """
    import queue
    from concurrent.futures import ThreadPoolExecutor

    from studyreg.sandbox.worker import PackWorker

    first = resolve(name, scope)
    if first.worker is None:
        raise ExperimentError(f"{name!r} is not a pack experiment of {scope}")
    root = str(first.worker.root)
    with _state_lock:
        extras = _extra_workers.setdefault((root, first.digest), [])
        while len(extras) < max(0, processes - 1):
            extras.append(PackWorker(root, first.worker.limits))
        workers = [first.worker, *extras[: max(0, processes - 1)]]
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(tasks)):
        todo.put(index)
    results: list[Result | ExperimentError] = [ExperimentError("not run")] * len(tasks)

    def drain(worker: PackWorker) -> None:
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            params, seed = tasks[index]
            try:
                results[index] = worker.run(name, dict(params), int(seed))
            except ExperimentError as error:
                results[index] = error

    with ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(drain, workers))
    return results


_cache: OrderedDict[tuple[Any, ...], Result] = OrderedDict()
_cache_lock = threading.Lock()
_running: dict[tuple[Any, ...], threading.Event] = {}  # runs under way, by cache key


def run(
    name: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    *,
    scope: str | None = None,
) -> Result:
    """Run (or reuse) the experiment at these parameters and seed.

    ``scope`` is the folder of the pack naming the experiment (``ExperimentRef.scope``):
    a pack's own experiments are found there. Runs are pure functions of
    (experiment, params, seed), so a cached result is the same result. Raises
    ``ParameterError`` for a bad parameter, ``LockedExperiment`` for untrusted code.
    """
    handle = resolve(name, scope)
    validated = handle.validate(params or {})
    key = _cache_key(handle, validated, seed)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        running = _running.get(key)
        if running is None:
            _running[key] = threading.Event()
    if running is not None:
        # The same run is under way in another thread (e.g. one warming the cache):
        # wait for it rather than compute it twice. If it failed, run it here for its error.
        running.wait()
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        return handle.run(validated, int(seed))
    try:
        result = handle.run(validated, int(seed))
        with _cache_lock:
            _cache[key] = result
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    finally:
        with _cache_lock:
            _running.pop(key).set()
    return result


def _cache_key(handle: Handle, validated: Mapping[str, Any], seed: int) -> tuple[Any, ...]:
    where = None if handle.in_process else (handle.spec.source, handle.digest)
    return (handle.name, where, tuple(sorted(validated.items())), int(seed))


def cached(
    name: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    *,
    scope: str | None = None,
) -> tuple[Handle, Result] | None:
    """The handle and result of a built-in or plugin run already computed, or None.

    Never runs or starts anything, so a UI thread may ask: a screen whose run is cached
    is built complete in one pass. A pack's own experiment is never answered here
    (resolving it hashes its files and asks its worker process).
    """
    if not parallel_safe(name, scope):
        return None
    try:
        handle = resolve(name, scope)
        key = _cache_key(handle, handle.validate(params or {}), seed)
    except ExperimentError:
        return None
    with _cache_lock:
        result = _cache.get(key)
    return None if result is None else (handle, result)


def warm(
    name: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    *,
    scope: str | None = None,
    pack_code: bool = True,
) -> None:
    """Run into the cache ahead of need (call it off the UI thread), saying nothing: a
    run that cannot happen (locked, bad parameter, failed) is reported by the real run.
    ``pack_code=False`` leaves a pack's own experiment alone (its worker process then
    starts only when it is really needed)."""
    if not (pack_code or parallel_safe(name, scope)):
        return
    with contextlib.suppress(ExperimentError):
        run(name, params, seed, scope=scope)


def command_line(
    name: str, params: Mapping[str, Any], seed: int, *, scope: str | None = None
) -> str:
    """The ``studyreg experiment`` command that reproduces exactly this run."""
    handle_spec = spec(name, scope)
    parts = ["studyreg", "experiment", name]
    if not parallel_safe(name, scope):
        parts += ["--pack", str(scope)]
    for key, value in params.items():
        if key in handle_spec.defaults and handle_spec.defaults[key] == value:
            continue
        parts += ["--set", f"{key}={_format_value(value)}"]
    parts += ["--seed", str(int(seed))]
    return " ".join(shlex.quote(p) for p in parts)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
