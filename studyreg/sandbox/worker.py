"""The parent's side of a pack's experiment process: start it, ask it, stop it.

One warm process per pack serves every run of a session. A request that outlives the
pack's time limit kills the process (the next request starts a fresh one); a process
that runs out of memory or dies reports it. Every failure is a :class:`SandboxError`,
an ``ExperimentError``, so callers show it like any other experiment error.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studyreg.experiments.base import ExperimentError, ParameterError, Result
from studyreg.experiments.spec import ExperimentSpec
from studyreg.sandbox.protocol import (
    ProtocolError,
    array_count,
    dumps,
    loads,
    read_frame,
    result_from,
    write_frame,
)

# Variables that would hand the child the user's data or other packs.
_SCRUBBED = ("STUDYREG_HOME", "STUDYREG_PACKS", "STUDYREG_CACHE")
_STARTUP_SECONDS = 60.0  # importing NumPy on a loaded machine; not the pack's budget


class SandboxError(ExperimentError):
    """A pack experiment timed out, ran out of memory, crashed or could not start."""


@dataclass(frozen=True)
class Limits:
    """What one run of a pack experiment may use."""

    timeout_s: float = 30.0
    memory_mb: int = 2048


class PackWorker:
    """A warm child process running the experiments of the pack in ``root``."""

    def __init__(self, root: str | Path, limits: Limits | None = None) -> None:
        self.root = Path(root).resolve()
        self.limits = limits or Limits()
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._specs: dict[str, ExperimentSpec] = {}
        self._exit_code: int | None = None
        _live.add(self)

    # --- requests -------------------------------------------------------------

    def describe(self, name: str) -> ExperimentSpec:
        if name not in self._specs:
            header, _ = self._ask({"op": "describe", "name": name}, self.limits.timeout_s, name)
            self._specs[name] = ExperimentSpec.from_dict(header["spec"])
        return self._specs[name]

    def validate(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        header, _ = self._ask(
            {"op": "validate", "name": name, "params": params}, self.limits.timeout_s, name
        )
        return dict(header["params"])

    def run(self, name: str, params: dict[str, Any], seed: int) -> Result:
        header, arrays = self._ask(
            {"op": "run", "name": name, "params": params, "seed": seed},
            self.limits.timeout_s,
            name,
        )
        return result_from(header, arrays)

    def ping(self) -> None:
        self._ask({"op": "ping"}, _STARTUP_SECONDS, "")

    # --- the process ----------------------------------------------------------

    def _start(self) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[variable] = "1"
        command = [
            sys.executable,
            "-P",  # never put the working directory on sys.path
            "-m",
            "studyreg.sandbox.child",
            str(self.root),
            str(self.limits.memory_mb),
        ]
        try:
            return subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=self.root,
                env=env,
                start_new_session=True,  # Ctrl-C in the terminal is the app's, not the child's
            )
        except OSError as error:
            raise SandboxError(f"cannot start the experiment process: {error}") from None

    def _ask(
        self, request: dict[str, Any], timeout: float, name: str
    ) -> tuple[dict[str, Any], list[bytes]]:
        with self._lock:
            fresh = self._process is None or self._process.poll() is not None
            if fresh:
                self._process = self._start()
            process = self._process
            assert process is not None and process.stdin is not None and process.stdout is not None
            # A fresh process first imports NumPy and the SDK: that time is not the run's.
            deadline = time.monotonic() + timeout + (_STARTUP_SECONDS if fresh else 0.0)
            try:
                write_frame(process.stdin, dumps(request))
                process.stdin.flush()
                fd = process.stdout.fileno()
                header = loads(read_frame(fd, deadline))
                arrays = [read_frame(fd, deadline) for _ in range(array_count(header))]
            except (ProtocolError, BrokenPipeError, OSError) as error:
                self._kill()
                raise self._failure(name, error) from None
        if not header.get("ok"):
            raise self._error(name, header)
        return header, arrays

    def _failure(self, name: str, error: BaseException) -> SandboxError:
        what = f"experiment {name!r}" if name else "the experiment process"
        if isinstance(error, ProtocolError) and error.timed_out:
            return SandboxError(
                f"{what} was stopped after {self.limits.timeout_s:g} s, the pack's time limit "
                "(raise it with `limits: {timeout_s: ...}` in pack.yaml, or make the run cheaper)"
            )
        code = self._exit_code
        if code is not None and code < 0 and code != -signal.SIGKILL:
            cause = signal.Signals(-code).name
            return SandboxError(f"{what} died ({cause}); the process was restarted")
        return SandboxError(f"{what} died: {error}; the process was restarted")

    def _error(self, name: str, header: dict[str, Any]) -> ExperimentError:
        kind, message = header.get("kind"), str(header.get("message", "failed"))
        if kind == "parameter":
            return ParameterError(message)
        if kind == "memory":
            return SandboxError(
                f"experiment {name!r} ran out of memory: the pack's limit is "
                f"{self.limits.memory_mb} MB (`limits: {{memory_mb: ...}}` in pack.yaml)"
            )
        if kind == "crash":
            return SandboxError(f"experiment {name!r} failed: {message}")
        return ExperimentError(message)

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        # Died by itself (a signal, an exit) or is stuck: note how, then make sure.
        self._exit_code = process.poll()
        try:
            process.kill()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def close(self) -> None:
        """Stop the process (its input closes, it exits; killed if it lingers)."""
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()


class _Live:
    """Workers still open, closed at exit so no child outlives the app."""

    def __init__(self) -> None:
        self._workers: list[PackWorker] = []
        self._lock = threading.Lock()

    def add(self, worker: PackWorker) -> None:
        with self._lock:
            self._workers.append(worker)

    def close_all(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()


_live = _Live()


def shutdown_workers() -> None:
    """Stop every pack experiment process."""
    _live.close_all()


atexit.register(shutdown_workers)
