"""An experiment's parameters as a form: one Input each, bounds in the placeholder,
the description as tooltip, and a plain sentence when a value is not acceptable.

A number field types only what a number can hold (digits, sign, point, exponent); any
other key goes to the screen's bindings, so ``r`` runs and ``]`` turns the plot from
inside a field, and escape leaves the field (not the screen). A text parameter (pack
code may declare one) types every printable key; escape leaves it first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from studyreg.errors import StudyregError
from studyreg.study.values import display_value as format_value

if TYPE_CHECKING:
    from studyreg.study.lab import ExperimentSpec

SEED = "seed"

# What a field of each kind may type; None: anything printable.
TYPED: dict[str, frozenset[str] | None] = {
    "int": frozenset("0123456789+-_"),
    "float": frozenset("0123456789+-_.eE"),
}


class ParamInput(Input):
    """One parameter's field: types what its kind can hold, hands other keys on."""

    BINDINGS = [Binding("escape", "leave", "Leave field", id="param.leave")]

    def __init__(self, value: str, *, kind: str, **kwargs: Any) -> None:
        # No Input validation: ParamForm.check validates the whole form. Input's own
        # would set -valid on every field as it is created and on every change and blur,
        # each a restyle of the field (four component styles each), for no visible effect.
        super().__init__(value, validate_on=(), **kwargs)
        self.kind = kind

    def types(self, character: str | None) -> bool:
        """Whether ``character`` is typed into this field (else it is a command key)."""
        if character is None or not character.isprintable():
            return False
        allowed = TYPED.get(self.kind)
        return allowed is None or character in allowed

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return self.types(character)

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and not self.types(event.character):
            # Not part of a number: skip Input's typing; the key bubbles on to the
            # screen and app bindings (run, copy, next plot, tabs).
            event.prevent_default()

    def action_leave(self) -> None:
        """Leave the field, keeping what was typed: focus the nearest focusable container."""
        for node in self.ancestors:
            if isinstance(node, Widget) and node.focusable:
                node.focus()
                return
        self.screen.set_focus(None)


def bounds_text(lower: Any, upper: Any) -> str:
    if lower is not None and upper is not None:
        return f"{format_value(lower)}–{format_value(upper)}"
    if lower is not None:
        return f"≥ {format_value(lower)}"
    if upper is not None:
        return f"≤ {format_value(upper)}"
    return ""


class ParamForm(Vertical):
    """Parameters of one experiment. ``read()`` returns (params, seed) or raises ValueError or ParameterError."""

    class Submitted(Message):
        """Enter in any field: run with these values."""

    class Edited(Message):
        """A field changed; ``problem`` is why the values cannot run ("" when they can)."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(
        self,
        spec: ExperimentSpec,
        check: Callable[[Mapping[str, Any]], dict[str, Any]],
        values: Mapping[str, Any],
        seed: int,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.spec = spec
        self._check_params = check
        self.values = dict(values)
        self.seed = seed

    def compose(self) -> ComposeResult:
        # The names are one Static beside a column of one-line fields, not a Label each:
        # every widget here is restyled on each screen-wide style pass.
        names = [*self.spec.param_names, SEED]
        with Horizontal(id="param-grid"):
            yield Static("\n".join(names), id="param-names")
            with Vertical(id="param-fields"):
                for param in self.spec.params:
                    name = param.name
                    limits = bounds_text(param.lower, param.upper)
                    tip = (param.description or name) + (f" (range {limits})" if limits else "")
                    yield ParamInput(
                        format_value(self.values.get(name, param.default)),
                        kind=param.kind,
                        placeholder=limits or name,
                        tooltip=tip,
                        compact=True,
                        id=f"param-{name}",
                        classes="param-input",
                    )
                yield ParamInput(
                    str(self.seed),
                    kind="int",
                    placeholder="≥ 0",
                    tooltip="seed of the random data: same parameters + same seed = same numbers",
                    compact=True,
                    id=f"param-{SEED}",
                    classes="param-input",
                )
        yield Static("", id="param-error")

    def raw(self) -> tuple[dict[str, str], str]:
        """The typed text of every parameter, and of the seed."""
        texts = {
            name: self.query_one(f"#param-{name}", Input).value.strip()
            for name in self.spec.param_names
        }
        return texts, self.query_one(f"#param-{SEED}", Input).value.strip()

    def read(self) -> tuple[dict[str, Any], int]:
        """Validated parameters (defaults filled in) and the seed; ValueError says why not."""
        texts, seed_text = self.raw()
        params = self._check_params(texts)
        try:
            seed = int(seed_text)
        except ValueError:
            raise ValueError(
                f"seed = {seed_text!r} is not valid: must be a non-negative integer"
            ) from None
        if seed < 0:
            raise ValueError(f"seed = {seed} is out of range: must be a non-negative integer")
        return params, seed

    def check(self) -> str:
        """Show (and return) why the current values cannot run, or clear the message."""
        try:
            self.read()
        except (ValueError, StudyregError) as error:
            message = str(error)
        else:
            message = ""
        error_line = self.query_one("#param-error", Static)
        error_line.update(message)
        error_line.set_class(bool(message), "shown")
        for input_ in self.query(".param-input").results(Input):
            name = (input_.id or "").removeprefix("param-")
            input_.set_class(f"{name} = " in message, "-invalid-param")
        return message

    def first_invalid(self) -> Input | None:
        """The first field marked invalid by ``check``, if any."""
        marked = self.query(".-invalid-param").results(Input)
        return next(iter(marked), None)

    def set_values(self, values: Mapping[str, Any], seed: int | None = None) -> None:
        for name, value in values.items():
            for input_ in self.query(f"#param-{name}").results(Input):
                input_.value = format_value(value)
        if seed is not None:
            self.query_one(f"#param-{SEED}", Input).value = str(seed)

    _check_pending = False

    @on(Input.Changed, ".param-input")
    def _changed(self, event: Input.Changed) -> None:
        """Check once per burst, not once per field: mounting fills every field at once,
        and their Changed messages are all queued before this check runs."""
        event.stop()
        if not self._check_pending:
            self._check_pending = True
            self.call_later(self._check_and_report)

    def _check_and_report(self) -> None:
        self._check_pending = False
        self.post_message(self.Edited(self.check()))

    @on(Input.Submitted, ".param-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())
