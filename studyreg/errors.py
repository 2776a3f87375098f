"""The one base of every problem studyreg reports to a person.

A :class:`StudyregError` is a problem the user (learner, pack author, plugin author) can
fix: a pack that does not validate, an unknown experiment or concept, a parameter out of
range, an answer that cannot be read. Its message is complete, names where and what, and
is shown as is, without a traceback.

Front ends (``commands/*``, the app's workers and screens, ``study.plain``) catch
``StudyregError`` and nothing broader: a ``ValueError`` or ``KeyError`` escaping the core
is a bug in studyreg or in an experiment, and is reported as one.

This module is a leaf: it imports nothing from studyreg, and every room (``content``,
``experiments``, ``grading``, ``expr`` included) may import it.
"""

from __future__ import annotations

__all__ = ["NotFoundError", "StudyregError"]


class StudyregError(Exception):
    """A problem the user can fix; ``str(error)`` is the whole message."""


class NotFoundError(StudyregError, LookupError):
    """No pack, concept, experiment, … by that name; the message names it (and, where
    helpful, what there is). Unlike ``KeyError``, its message prints without quotes."""
