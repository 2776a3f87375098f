"""The pack format: what instructors write, as pydantic v2 models.

Every model forbids unknown keys, so a typo is an error rather than silence.
The JSON Schema printed by ``studyreg schema`` is generated from these models.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$"),
    Field(description="lowercase letters, digits, '-' and '_'; starts with a letter or digit"),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=500)]
ParamValue = float | int | bool | str


class SourceRef(BaseModel):
    """Where a concept, fact or question was written (1-based line and column)."""

    model_config = ConfigDict(frozen=True)
    file: str = "<memory>"
    line: int = 1
    column: int = 1

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Located(Strict):
    """A model that remembers where it was written."""

    _source: SourceRef | None = PrivateAttr(default=None)

    @property
    def source(self) -> SourceRef:
        return self._source or SourceRef()


# --- experiments and variants -------------------------------------------------


class ExperimentRef(Strict):
    """The experiment that backs a concept, with the parameters it runs at."""

    name: Short = Field(description="a registered experiment, see `studyreg experiment --list`")
    params: dict[str, ParamValue] = Field(default_factory=dict, description="parameter overrides")
    seed: int = Field(0, ge=0, description="seed of the concept's live run")
    # The folder of the pack that names this experiment: where pack-local
    # experiments (experiments/NAME.py) are looked up. None for single-file packs.
    _scope: str | None = PrivateAttr(default=None)

    @property
    def scope(self) -> str | None:
        return self._scope


class VaryRange(Strict):
    """Draw a parameter uniformly from [low, high] (log-uniformly with ``log: true``)."""

    low: float
    high: float
    log: bool = False
    integer: bool = False
    round: int | None = Field(None, ge=0, le=12, description="decimal places to round a float to")

    @model_validator(mode="after")
    def _ordered(self) -> VaryRange:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        if self.log and self.low <= 0:
            raise ValueError("a log range needs low > 0")
        return self


class VaryChoices(Strict):
    """Draw a parameter from a list of values."""

    choices: list[ParamValue] = Field(min_length=1, max_length=1000)


def _vary_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "choices" if "choices" in value else "range"
    return "choices" if isinstance(value, VaryChoices) else "range"


Vary = Annotated[
    Annotated[VaryChoices, Tag("choices")] | Annotated[VaryRange, Tag("range")],
    Discriminator(_vary_kind),
]


class Tolerance(Strict):
    """How close a numeric answer must be. Give at most one of ``sigfigs`` and ``decimals``;
    otherwise |answer - truth| <= atol + rtol * |truth|."""

    rtol: float = Field(1e-2, ge=0, le=1)
    atol: float = Field(1e-8, ge=0)
    sigfigs: int | None = Field(None, ge=1, le=15)
    decimals: int | None = Field(None, ge=0, le=15)

    @model_validator(mode="after")
    def _one_mode(self) -> Tolerance:
        if self.sigfigs is not None and self.decimals is not None:
            raise ValueError("give either sigfigs or decimals, not both")
        return self


# --- facts --------------------------------------------------------------------


class Fact(Located):
    """A must-know statement; ``check`` is proven live over the experiment's outputs."""

    id: Id | None = None
    text: Text
    check: Short | None = Field(
        None,
        description="an expression over experiment outputs, e.g. 'lasso.n_zero > ridge.n_zero'",
    )
    seeds: int = Field(
        5,
        ge=1,
        le=50,
        description="deprecated and ignored: checks are measured over the pack's verify.seeds",
    )
    recall: Short | None = Field(
        None,
        description="the words of `text` a flash card hides for the learner to recall "
        "(default: the first emphasised term, else the first number, else the longest word)",
    )

    @model_validator(mode="after")
    def _recall_in_text(self) -> Fact:
        if self.recall is not None and " ".join(self.recall.split()) not in " ".join(
            self.text.split()
        ):
            raise ValueError(f"recall {self.recall!r} does not appear in the fact's text")
        return self


# --- questions ----------------------------------------------------------------


class QuestionBase(Located):
    id: Id
    prompt: Text
    explanation: Text | None = Field(None, description="shown after grading")
    hint: Text | None = None
    tags: list[Short] = Field(default_factory=list)

    @property
    def live(self) -> bool:
        """Drawn afresh from the concept's experiment for every attempt."""
        return False

    def live_answers(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(path in the question, expression over experiment outputs) per live answer."""
        return []


class Choice(Strict):
    text: Short
    correct: bool = False
    feedback: Text | None = Field(None, description="shown when this choice is picked")
    credit: float | None = Field(
        None,
        ge=-1,
        le=1,
        description="share of the mark picking this choice earns, -1..1 (Moodle's answer "
        "weight); single choice: the picked choice's credit, at least 0; multiple choice "
        "with partial_credit 'credit': the sum over picked choices, clipped to 0..1",
    )


def _distinct(texts: list[str], what: str) -> None:
    seen: set[str] = set()
    for text in texts:
        key = " ".join(text.split()).casefold()
        if key in seen:
            raise ValueError(f"{what} {text!r} appears twice")
        seen.add(key)


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    choices: list[Choice] = Field(min_length=2, max_length=26)
    shuffle: bool = True

    @model_validator(mode="after")
    def _one_correct(self) -> SingleChoice:
        n = sum(choice.correct for choice in self.choices)
        credited = any(choice.credit is not None for choice in self.choices)
        if n != 1 and not (credited and n > 1):
            raise ValueError(
                f"a single-choice question needs exactly one correct choice, found {n}"
            )
        for choice in self.choices:
            if credited and choice.correct and choice.credit not in (None, 1):
                raise ValueError(f"correct choice {choice.text!r} must have credit 1")
            if credited and not choice.correct and (choice.credit or 0) >= 1:
                raise ValueError(f"choice {choice.text!r} has credit 1 but is not correct")
        _distinct([c.text for c in self.choices], "choice")
        return self


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"]
    choices: list[Choice] = Field(min_length=2, max_length=26)
    partial_credit: Literal["off", "net", "credit"] = Field(
        "off",
        description="off: all or nothing; net: (right - wrong picks) / right choices; "
        "credit: the sum of the picked choices' credit, clipped to 0..1 (Moodle)",
    )
    shuffle: bool = True

    @model_validator(mode="after")
    def _some_correct(self) -> MultipleChoice:
        if not any(choice.correct for choice in self.choices):
            raise ValueError("a multiple-choice question needs at least one correct choice")
        for choice in self.choices:
            if choice.credit is None:
                if self.partial_credit == "credit" and choice.correct:
                    raise ValueError(f"correct choice {choice.text!r} needs a credit above 0")
            elif self.partial_credit != "credit":
                raise ValueError("choice credit is used only with partial_credit: credit")
            elif (choice.credit > 0) != choice.correct:
                raise ValueError(
                    f"choice {choice.text!r}: correct exactly when its credit is above 0"
                )
        _distinct([c.text for c in self.choices], "choice")
        return self


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool
    feedback_true: Text | None = None
    feedback_false: Text | None = None


class TextAnswer(Strict):
    """A typed answer pattern with its credit, as in Moodle's short-answer type."""

    text: Short = Field(description="the answer; '*' stands for any text, '\\*' for a star")
    credit: float = Field(1, ge=0, le=1, description="share of the mark this answer earns")
    feedback: Text | None = Field(None, description="shown when this answer matches")


class ShortAnswer(QuestionBase):
    type: Literal["short_answer"]
    answers: list[Short] = Field(min_length=1, description="accepted answers")
    case_sensitive: bool = False
    accept: list[TextAnswer] = Field(
        default_factory=list,
        max_length=50,
        description="when given, grading uses these instead of answers: the first that "
        "matches gives its credit (Moodle's rule); answers are what is shown",
    )


class Ordering(QuestionBase):
    type: Literal["ordering"]
    items: list[Short] = Field(min_length=2, max_length=26, description="in the correct order")
    partial_credit: bool = False

    @field_validator("items")
    @classmethod
    def _distinct_items(cls, items: list[str]) -> list[str]:
        _distinct(items, "item")
        return items


class Pair(Strict):
    left: Short
    right: Short


class Matching(QuestionBase):
    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2, max_length=26)
    distractors: list[Short] = Field(default_factory=list, description="extra right-hand options")

    @model_validator(mode="after")
    def _distinct_sides(self) -> Matching:
        _distinct([p.left for p in self.pairs], "left item")
        _distinct([p.right for p in self.pairs] + self.distractors, "right item")
        return self


class NumericAnswer(Strict):
    """A number (or any number) accepted with some credit, as in Moodle's numerical type."""

    value: float | None = Field(None, description="the number; leave out to match any number")
    margin: float = Field(0, ge=0, description="accepted: value - margin .. value + margin")
    credit: float = Field(1, ge=0, le=1, description="share of the mark this answer earns")
    feedback: Text | None = Field(None, description="shown when this answer matches")

    @model_validator(mode="after")
    def _margin_needs_value(self) -> NumericAnswer:
        if self.value is None and self.margin:
            raise ValueError("a margin needs a value")
        return self


class Numeric(QuestionBase):
    type: Literal["numeric"]
    answer: float
    tolerance: Tolerance = Field(default_factory=Tolerance)
    integer: bool = Field(False, description="the answer is a count: graded exactly")
    unit: Short | None = None
    accept: list[NumericAnswer] = Field(
        default_factory=list,
        max_length=50,
        description="when given, grading uses these instead of answer and tolerance: the "
        "first that matches gives its credit (Moodle's rule); answer is what is shown",
    )


class Computed(QuestionBase):
    """A numeric question whose truth comes from the concept's experiment, with
    parameters drawn afresh for every attempt."""

    type: Literal["computed"]
    answer: Short = Field(description="an expression over experiment outputs, e.g. 'lasso.n_zero'")
    vary: dict[str, Vary] = Field(default_factory=dict, description="parameters drawn per attempt")
    tolerance: Tolerance = Field(default_factory=Tolerance)
    integer: bool = False
    unit: Short | None = None

    @property
    def live(self) -> bool:
        return True

    def live_answers(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [(("answer",), self.answer)]


class FreeResponse(QuestionBase):
    type: Literal["free_response"]
    model_answer: Text
    key_points: list[Text] = Field(min_length=1, max_length=12)


class ShortBlank(Strict):
    """A blank filled with a word or phrase."""

    kind: Literal["short"]
    answers: list[Short] = Field(min_length=1, description="accepted answers")
    case_sensitive: bool = False


class NumberBlank(Strict):
    """A blank filled with a number: a fixed one, or an expression over experiment outputs
    (then the question is drawn live, like a computed question)."""

    kind: Literal["number"]
    answer: float | Short = Field(description="a number, or an expression such as 'ridge.mse'")
    tolerance: Tolerance = Field(default_factory=Tolerance)
    integer: bool = Field(False, description="the answer is a count: graded exactly")
    unit: Short | None = None

    @property
    def live(self) -> bool:
        return isinstance(self.answer, str)


class ChoiceBlank(Strict):
    """A blank filled by picking one of its choices."""

    kind: Literal["choice"]
    choices: list[Choice] = Field(min_length=2, max_length=26)
    shuffle: bool = True

    @model_validator(mode="after")
    def _one_correct(self) -> ChoiceBlank:
        n = sum(choice.correct for choice in self.choices)
        if n != 1:
            raise ValueError(f"a choice blank needs exactly one correct choice, found {n}")
        _distinct([c.text for c in self.choices], "choice")
        return self


Blank = Annotated[ShortBlank | NumberBlank | ChoiceBlank, Field(discriminator="kind")]
BLANK_MARK = re.compile(r"\[\[(\d+)\]\]")


class Cloze(QuestionBase):
    """A prompt with blanks marked ``[[1]]``, ``[[2]]``, …, each graded on its own.

    Blanks whose answer is an expression are computed live by the concept's experiment,
    with ``vary`` parameters drawn afresh for every attempt.
    """

    type: Literal["cloze"]
    blanks: list[Blank] = Field(min_length=1, max_length=20)
    vary: dict[str, Vary] = Field(default_factory=dict, description="parameters drawn per attempt")
    partial_credit: bool = Field(True, description="each right blank earns its share")

    @property
    def live(self) -> bool:
        return bool(self.vary) or bool(self.live_answers())

    def live_answers(self) -> list[tuple[tuple[str | int, ...], str]]:
        return [
            (("blanks", i, "answer"), blank.answer)
            for i, blank in enumerate(self.blanks)
            if isinstance(blank, NumberBlank) and isinstance(blank.answer, str)
        ]

    @model_validator(mode="after")
    def _marks_match_blanks(self) -> Cloze:
        marks = [int(m) for m in BLANK_MARK.findall(self.prompt)]
        wanted = list(range(1, len(self.blanks) + 1))
        if sorted(marks) != wanted:
            shown = ", ".join(f"[[{n}]]" for n in wanted)
            found = ", ".join(f"[[{n}]]" for n in marks) or "none"
            raise ValueError(
                f"the prompt must mark each of the {len(self.blanks)} blanks once ({shown}); "
                f"found {found}"
            )
        return self


Question = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | ShortAnswer
    | Ordering
    | Matching
    | Numeric
    | Computed
    | FreeResponse
    | Cloze,
    Field(discriminator="type"),
]
QUESTION_MODELS: tuple[type[QuestionBase], ...] = get_args(get_args(Question)[0])
QUESTION_TYPES: tuple[str, ...] = tuple(
    get_args(model.model_fields["type"].annotation)[0] for model in QUESTION_MODELS
)
"""Every question ``type`` tag, read from the union above (never kept by hand)."""


# --- concepts and packs -------------------------------------------------------


class Concept(Located):
    id: Id
    title: Short
    definition: Text
    summary: Text | None = None
    experiment: ExperimentRef | None = None
    facts: list[Fact] = Field(default_factory=list, max_length=200)
    questions: list[Question] = Field(default_factory=list, max_length=2_000)

    def question(self, question_id: str) -> Any:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


class PackLimits(Strict):
    """What one run of this pack's own experiments (``experiments/*.py``) may use."""

    timeout_s: float = Field(30.0, gt=0, le=3600, description="seconds before a run is stopped")
    memory_mb: int = Field(
        2048, ge=256, le=65_536, description="address space of the experiment process, in MB"
    )


class Verify(Strict):
    """How ``validate --strict`` judges fact checks: each is run over ``seeds`` seeds at every
    parameter combination, and the 95% lower bound of its rate must reach ``min_rate``."""

    min_rate: float = Field(
        0.9,
        gt=0,
        le=1,
        description="lowest acceptable rate a check holds at (95% Wilson lower bound), in (0, 1]",
    )
    seeds: int = Field(
        50, ge=1, le=1000, description="seeds each check and computed answer is measured over"
    )


class PackMeta(Strict):
    """What ``pack.yaml`` holds in a folder pack."""

    id: Id
    title: Short
    course: Short | None = None
    version: Short = "1.0"
    authors: list[Short] = Field(default_factory=list)
    license: Short | None = None
    description: Text | None = None
    concept_files: list[Short] | None = Field(
        None, description="concept files in order; default: every other *.yaml file, sorted"
    )
    limits: PackLimits = Field(
        default_factory=PackLimits, description="limits on the pack's own experiment code"
    )
    verify: Verify = Field(
        default_factory=Verify,
        description="how strictly `validate --strict` measures the pack's claims",
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        # `version: 1.0` is a float in YAML; instructors mean the label.
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )


class Pack(PackMeta):
    """A whole pack; a single-file pack is exactly this mapping."""

    concepts: list[Concept] = Field(default_factory=list, max_length=2_000)

    # The pack's folder (None for a single-file pack or one built in memory).
    _root: str | None = PrivateAttr(default=None)

    @property
    def root(self) -> str | None:
        return self._root

    def concept(self, concept_id: str) -> Concept:
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(concept_id)

    @property
    def question_count(self) -> int:
        return sum(len(c.questions) for c in self.concepts)
