"""The one place a failed worker becomes something the learner can read."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from studyreg.errors import StudyregError


def describe_error(error: BaseException | None) -> str:
    """A worker's error in people's words: a domain error's own message; anything else is
    a bug, shown with its type."""
    if error is None:
        return "something went wrong"
    if isinstance(error, StudyregError):
        return str(error) or type(error).__name__
    return f"{type(error).__name__}: {error}"


class ReportsWorkerErrors:
    """Mix into a Screen or Widget that starts workers: an errored worker is shown with
    ``notify`` (and handed to ``on_worker_failed`` for an inline message), never a crash."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        message = describe_error(event.worker.error)
        self.on_worker_failed(event.worker, message)  # type: ignore[attr-defined]
        self.app.notify(message, title="Could not finish", severity="error", timeout=8)  # type: ignore[attr-defined]

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        """Override to show the error next to what failed (e.g. hide a loading indicator)."""
