"""The wire between the app and a pack's experiment process: frames, JSON, raw arrays.

A frame is a 4-byte big-endian length and that many bytes. A request is one JSON
frame. A reply is one JSON frame, followed (for a run) by one frame per array in
NumPy's ``.npy`` format, read with ``allow_pickle=False``: nothing that crosses the
pipe can execute code on the receiving side.
"""

from __future__ import annotations

import io
import json
import os
import select
import time
from dataclasses import fields
from typing import IO, Any, BinaryIO

import numpy as np

from studyreg.experiments.base import Result, Series

MAX_FRAME = 1 << 31  # 2 GiB: anything larger is a broken or hostile peer


class ProtocolError(Exception):
    """The peer closed the pipe, went silent past the deadline or sent nonsense."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


# --- frames --------------------------------------------------------------------


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(len(payload).to_bytes(4, "big") + payload)


def read_frame_blocking(stream: BinaryIO) -> bytes | None:
    """The next frame, or ``None`` at a clean end of input (the child's side)."""
    head = stream.read(4)
    if not head:
        return None
    if len(head) < 4:
        raise ProtocolError("truncated frame header")
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    if len(data) < size:
        raise ProtocolError("truncated frame")
    return data


def read_frame(fd: int, deadline: float) -> bytes:
    """The next frame from ``fd``, waiting until ``deadline`` (``time.monotonic``)."""
    size = int.from_bytes(_read_exact(fd, 4, deadline), "big")
    if size > MAX_FRAME:
        raise ProtocolError(f"frame of {size} bytes is too large")
    return _read_exact(fd, size, deadline)


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        wait = deadline - time.monotonic()
        if wait <= 0:
            raise ProtocolError("no answer before the time limit", timed_out=True)
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError("the experiment process closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def dumps(message: dict[str, Any]) -> bytes:
    return json.dumps(message, allow_nan=False).encode()


def loads(payload: bytes) -> dict[str, Any]:
    try:
        message = json.loads(payload)
    except ValueError as error:
        raise ProtocolError(f"unreadable message: {error}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message


# --- arrays ----------------------------------------------------------------------


def array_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


def array_from_bytes(payload: bytes) -> np.ndarray:
    return np.lib.format.read_array(io.BytesIO(payload), allow_pickle=False)


# --- results ---------------------------------------------------------------------

_SERIES_META = [f.name for f in fields(Series) if f.name not in ("x", "y")]


def result_frames(result: Result) -> list[bytes]:
    """A run's result as a JSON header frame followed by one frame per array."""
    arrays: list[np.ndarray] = []
    series_meta = {}
    for key, series in result.series.items():
        series_meta[key] = {name: getattr(series, name) for name in _SERIES_META}
        arrays += [series.x, series.y]
    names = list(result.arrays)
    arrays += [result.arrays[name] for name in names]
    header = {
        "ok": True,
        "experiment": result.experiment,
        "params": result.params,
        "seed": result.seed,
        "outputs": result.outputs,
        "series": series_meta,
        "arrays": names,
    }
    return [dumps(header), *(array_bytes(a) for a in arrays)]


def array_count(header: dict[str, Any]) -> int:
    return 2 * len(header.get("series", {})) + len(header.get("arrays", []))


def result_from(header: dict[str, Any], payloads: list[bytes]) -> Result:
    """Rebuild a :class:`Result` from a header and its array frames."""
    arrays = [array_from_bytes(p) for p in payloads]
    series = {}
    position = 0
    for key, meta in header["series"].items():
        series[key] = Series(x=arrays[position], y=arrays[position + 1], **meta)
        position += 2
    named = dict(zip(header["arrays"], arrays[position:], strict=True))
    return Result(
        experiment=header["experiment"],
        params=header["params"],
        seed=header["seed"],
        outputs=header["outputs"],
        series=series,
        arrays=named,
    )
