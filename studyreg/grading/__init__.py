"""Grading: a response and the truth in, a ``Verdict`` out.

Pure standard library; knows nothing of experiments, packs or the UI.
"""

from studyreg.grading.arrangement import grade_matching, grade_ordering
from studyreg.grading.choice import (
    grade_multiple_choice,
    grade_single_choice,
    grade_true_false,
    parse_true_false,
)
from studyreg.grading.free_response import grade_free_response
from studyreg.grading.indices import parse_index_list
from studyreg.grading.numbers import NumberParseError, parse_number
from studyreg.grading.numeric import Tolerance, format_truth, grade_number
from studyreg.grading.text import grade_short_answer, normalize_answer
from studyreg.grading.verdict import AnswerParseError, Verdict

__all__ = [
    "AnswerParseError",
    "NumberParseError",
    "Tolerance",
    "Verdict",
    "format_truth",
    "grade_free_response",
    "grade_matching",
    "grade_multiple_choice",
    "grade_number",
    "grade_ordering",
    "grade_short_answer",
    "grade_single_choice",
    "grade_true_false",
    "normalize_answer",
    "parse_index_list",
    "parse_number",
    "parse_true_false",
]
