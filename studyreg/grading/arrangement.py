"""Grading orderings and matchings, with partial credit per position or per pair."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from studyreg.grading.verdict import CORRECT, Verdict, incorrect


def grade_ordering(
    order: Sequence[int], correct: Sequence[int], *, partial: bool = False
) -> Verdict:
    """Grade the learner's sequence of item indices against the right sequence.

    With ``partial`` the score is the fraction of positions that hold the right item;
    otherwise it is all-or-nothing. ``order`` must rearrange ``correct`` (``ValueError``).
    """
    if not correct:
        raise ValueError("an ordering needs at least one item")
    if sorted(order) != sorted(correct):
        raise ValueError(
            f"order {list(order)} is not a rearrangement of the items {sorted(correct)}"
        )
    n = len(correct)
    right = sum(a == b for a, b in zip(order, correct, strict=True))
    if right == n:
        return CORRECT
    summary = f"{right} of {n} items {'is' if right == 1 else 'are'} in the right place."
    if partial and right:
        return Verdict("partial", right / n, f"Partly right: {summary}")
    return incorrect(f"Not quite: {summary}")


def grade_matching(pairs: Mapping[int, int], correct: Mapping[int, int]) -> Verdict:
    """Grade matched pairs (left index -> right index); each right pair earns ``1/len(correct)``.

    Left indices are the rows as shown; the message names the wrong rows (1-based).

    Lefts missing from ``pairs`` count as wrong; a left not in ``correct`` is a ``ValueError``.
    """
    if not correct:
        raise ValueError("a matching needs at least one pair")
    unknown = sorted(set(pairs) - set(correct))
    if unknown:
        raise ValueError(f"left items {unknown} are not among the items to match {sorted(correct)}")
    n = len(correct)
    right = sum(pairs.get(left) == target for left, target in correct.items())
    if right == n:
        return CORRECT
    summary = f"{right} of {n} pairs {'is' if right == 1 else 'are'} right"
    missing = n - len(pairs)
    if missing:
        summary += f"; {missing} {'was' if missing == 1 else 'were'} left unmatched"
    wrong = [left for left in sorted(correct) if left in pairs and pairs[left] != correct[left]]
    if wrong:
        rows = [str(left + 1) for left in wrong]
        named = rows[0] if len(rows) == 1 else ", ".join(rows[:-1]) + " and " + rows[-1]
        summary += f"; row{'s' * (len(rows) > 1)} {named} {'is' if len(rows) == 1 else 'are'} wrong"
    if right:
        return Verdict("partial", right / n, f"Partly right: {summary}.")
    return incorrect(f"Not quite: {summary}.")
