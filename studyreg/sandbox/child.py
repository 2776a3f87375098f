"""The child process that runs one pack's experiments: ``python -m studyreg.sandbox.child``.

It is started only for a trusted pack, with a memory limit set before any pack code
is imported, no data directory in its environment, and stdout reserved for replies
(the pack's own prints go to stderr). It imports an experiment module the first
time that experiment is asked for, and answers ``describe``, ``validate`` and ``run``
requests until its input closes.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from pathlib import Path
from typing import Any, BinaryIO

from studyreg.sandbox.files import pack_experiment_files
from studyreg.sandbox.protocol import dumps, loads, read_frame_blocking, result_frames, write_frame


def _limit_memory(megabytes: int) -> None:
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: the time limit still applies
        return
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class PackExperiments:
    """The experiments of one pack folder, imported on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = pack_experiment_files(root)
        self.loaded: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        from studyreg.experiments import Experiment, ExperimentError

        if name in self.loaded:
            return self.loaded[name]
        path = self.files.get(name)
        if path is None:
            raise ExperimentError(f"this pack has no experiments/{name}.py")
        relative = path.relative_to(self.root).as_posix()
        spec = importlib.util.spec_from_file_location(f"studyreg_pack_experiments.{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as error:  # noqa: BLE001 - the author's bug, reported to them
            raise ExperimentError(f"{relative}: import failed: {_last_frame(error)}") from None
        experiment = getattr(module, "EXPERIMENT", None)
        if not isinstance(experiment, Experiment):
            found = "nothing" if experiment is None else type(experiment).__name__
            raise ExperimentError(
                f"{relative} must define EXPERIMENT = Experiment(...); found {found}"
            )
        if experiment.name != name:
            raise ExperimentError(
                f"{relative}: EXPERIMENT.name is {experiment.name!r}; it must be {name!r}, "
                "the file's name"
            )
        self.loaded[name] = experiment
        return experiment


def _last_frame(error: BaseException) -> str:
    """``Type: message (file:line)`` at the innermost frame: enough to find the bug."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def handle(experiments: PackExperiments, request: dict[str, Any]) -> list[bytes]:
    from studyreg.experiments import ExperimentError, ParameterError, describe
    from studyreg.experiments.registry import check_params, run_with

    op = request.get("op")
    try:
        if op == "ping":
            return [dumps({"ok": True})]
        if op == "list":
            return [dumps({"ok": True, "names": sorted(experiments.files)})]
        experiment = experiments.get(str(request.get("name")))
        if op == "describe":
            location = f"{experiments.files[experiment.name].relative_to(experiments.root)}"
            spec = describe(experiment, f"pack {experiments.root}", location)
            return [dumps({"ok": True, "spec": spec.to_dict()})]
        if op == "validate":
            params = check_params(experiment, request.get("params") or {}).model_dump()
            return [dumps({"ok": True, "params": params})]
        if op == "run":
            result = run_with(experiment, request.get("params") or {}, request.get("seed", 0))
            return result_frames(result)
        return [_error("protocol", f"unknown request {op!r}")]
    except ParameterError as error:
        return [_error("parameter", str(error))]
    except ExperimentError as error:
        return [_error("experiment", str(error))]
    except MemoryError:
        return [_error("memory", "ran out of memory")]
    except Exception as error:  # noqa: BLE001 - a bug in pack code becomes a clear message
        return [_error("crash", _last_frame(error))]


def _error(kind: str, message: str) -> bytes:
    return dumps({"ok": False, "kind": kind, "message": message})


def serve(root: Path, requests: BinaryIO, replies: BinaryIO) -> None:
    experiments = PackExperiments(root)
    while True:
        frame = read_frame_blocking(requests)
        if frame is None:
            return
        for payload in handle(experiments, loads(frame)):
            write_frame(replies, payload)
        replies.flush()


def main(argv: list[str]) -> int:
    root, memory_mb = Path(argv[0]), int(argv[1])
    # Replies own the real stdout; anything the pack prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _limit_memory(memory_mb)
    # A pack's experiments may import helper modules that sit beside them.
    sys.path.insert(0, str(root / "experiments"))
    serve(root, sys.stdin.buffer, replies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
