"""An experiment's parameters as a column of values with one field: the row under the
cursor is edited, the others are shown as text. ↑/↓ (or tab) move the field, a click
on a row moves it there, the description and bounds of the row are its tooltip and
placeholder, and a plain sentence under the column says why a value is not acceptable.

One Input for every parameter, not an Input each: a dozen Inputs were the costliest
part of the experiment screen to build, style and lay out (each is a scrolling widget
with its own timer and four component styles), for one that is typed into at a time.

The field types only what its row's number can hold (digits, sign, point, exponent);
any other key goes to the screen's bindings, so ``r`` runs and ``]`` turns the plot
from inside it, and escape leaves the field (not the screen). A text parameter (pack
code may declare one) types every printable key; escape leaves it first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.markup import escape
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
    """The field: types what its row's kind can hold, hands other keys on, and moves
    between rows with ↑/↓ and tab (leaving the form past its first or last row)."""

    BINDINGS = [
        Binding("escape", "leave", "Leave field", id="param.leave"),
        Binding("up", "move(-1)", "Previous parameter", show=False),
        Binding("down", "move(1)", "Next parameter", show=False),
        Binding("tab", "move(1, True)", "Next parameter", show=False),
        Binding("shift+tab", "move(-1, True)", "Previous parameter", show=False),
    ]

    def __init__(self, value: str, *, kind: str, **kwargs: Any) -> None:
        # No Input validation: ParamForm.check validates the whole form. Input's own
        # would restyle the field on every change and blur, for no visible effect.
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

    def action_move(self, step: int, leave_at_ends: bool = False) -> None:
        form = next((node for node in self.ancestors if isinstance(node, ParamForm)), None)
        if form is not None and form.move(step):
            return
        if leave_at_ends:  # tab past the last row (shift+tab past the first) leaves
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()

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


@dataclass(frozen=True)
class Row:
    """One parameter (or the seed) as the form shows it."""

    name: str
    kind: str
    bounds: str  # "0–10", "≥ 0" or ""
    tip: str


def rows_of(spec: ExperimentSpec) -> list[Row]:
    rows = []
    for param in spec.params:
        limits = bounds_text(param.lower, param.upper)
        tip = (param.description or param.name) + (f" (range {limits})" if limits else "")
        rows.append(Row(param.name, param.kind, limits, tip))
    tip = "seed of the random data: same parameters + same seed = same numbers"
    rows.append(Row(SEED, "int", "≥ 0", tip))
    return rows


class ParamForm(Vertical):
    """Parameters of one experiment. ``read()`` returns (params, seed) or raises ValueError or ParameterError."""

    class Submitted(Message):
        """Enter in the field: run with these values."""

    class Edited(Message):
        """A value changed; ``problem`` is why the values cannot run ("" when they can)."""

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
        self.rows = rows_of(spec)
        defaults = {param.name: param.default for param in spec.params}
        self.texts: dict[str, str] = {
            name: format_value(values.get(name, default)) for name, default in defaults.items()
        }
        self.texts[SEED] = str(seed)
        self.cursor = 0
        self.invalid: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        row = self.rows[self.cursor]
        with Horizontal(id="param-grid"):
            yield Static(self._names(), id="param-names")
            above, below = self._lines()
            with Vertical(id="param-fields"):
                yield Static(above, id="param-above", classes="param-rows")
                yield ParamInput(
                    self.texts[row.name],
                    kind=row.kind,
                    placeholder=row.bounds or row.name,
                    tooltip=row.tip,
                    compact=True,
                    id="param-value",
                    classes="param-input",
                )
                yield Static(below, id="param-below", classes="param-rows")
        yield Static("", id="param-error")

    def on_mount(self) -> None:
        self._show_rows()  # which of the two blocks of rows show

    # --- the column ------------------------------------------------------------------

    @property
    def field(self) -> ParamInput:
        """The one field, on the row under the cursor."""
        return self.query_one("#param-value", ParamInput)

    @property
    def current(self) -> str:
        """The name of the parameter under the cursor."""
        return self.rows[self.cursor].name

    def _names(self) -> Content:
        return Content.from_markup(
            "\n".join(
                f"[b $text]{row.name}[/]" if n == self.cursor else row.name
                for n, row in enumerate(self.rows)
            )
        )

    def _value_line(self, row: Row) -> str:
        text = self.texts[row.name]
        if row.name in self.invalid:
            return f"[b $text-error]{escape(text) or '(empty)'} ✗[/]"
        return escape(text) if text else f"[dim]{escape(row.bounds or row.name)}[/dim]"

    def _lines(self) -> tuple[Content, Content]:
        """The values above the field's row and below it, one per line."""
        lines = [self._value_line(row) for row in self.rows]
        return (
            Content.from_markup("\n".join(lines[: self.cursor])),
            Content.from_markup("\n".join(lines[self.cursor + 1 :])),
        )

    def _show_rows(self) -> None:
        above = self.query_one("#param-above", Static)
        below = self.query_one("#param-below", Static)
        above_lines, below_lines = self._lines()
        above.update(above_lines)
        below.update(below_lines)
        above.display = self.cursor > 0
        below.display = self.cursor < len(self.rows) - 1
        self.field.set_class(self.current in self.invalid, "-invalid-param")

    def select(self, name: str) -> None:
        """Put the field on ``name``'s row."""
        index = next(n for n, row in enumerate(self.rows) if row.name == name)
        self.move(index - self.cursor)

    def move(self, step: int) -> bool:
        """Move the field ``step`` rows; False (and no move) past either end."""
        target = self.cursor + step
        if not 0 <= target < len(self.rows):
            return False
        if step:
            self._sync()
            self.cursor = target
            row = self.rows[target]
            field = self.field
            field.kind = row.kind
            field.placeholder = row.bounds or row.name
            field.tooltip = row.tip
            field.value = self.texts[row.name]
            field.cursor_position = len(field.value)
            self.query_one("#param-names", Static).update(self._names())
            self._show_rows()
        return True

    def on_click(self, event: events.Click) -> None:
        """A click on a row's name or value puts the field there."""
        grid = self.query_one("#param-grid").region
        index = event.screen_y - grid.y
        if grid.contains(event.screen_x, event.screen_y) and 0 <= index < len(self.rows):
            self.move(index - self.cursor)
            self.field.focus()

    # --- values ------------------------------------------------------------------------

    def _sync(self) -> None:
        # From the field itself, not from its Changed messages: a key that moves the
        # field can be handled before the message of the key typed just before it.
        self.texts[self.current] = self.field.value

    def raw(self) -> tuple[dict[str, str], str]:
        """The typed text of every parameter, and of the seed."""
        self._sync()
        texts = {name: self.texts[name].strip() for name in self.spec.param_names}
        return texts, self.texts[SEED].strip()

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
        invalid = frozenset(row.name for row in self.rows if f"{row.name} = " in message)
        if invalid != self.invalid:
            self.invalid = invalid
            self._show_rows()
        return message

    def focus_first_invalid(self) -> bool:
        """Put the field on the first row ``check`` found invalid, focused; False if none."""
        bad = next((row.name for row in self.rows if row.name in self.invalid), None)
        if bad is None:
            return False
        self.select(bad)
        self.field.focus()
        return True

    def set_values(self, values: Mapping[str, Any], seed: int | None = None) -> None:
        for name, value in values.items():
            if name in self.texts:
                self.texts[name] = format_value(value)
        if seed is not None:
            self.texts[SEED] = str(seed)
        self.field.value = self.texts[self.current]
        self._show_rows()

    _check_pending = False

    @on(Input.Changed, "#param-value")
    def _changed(self, event: Input.Changed) -> None:
        """Keep the row's text, and check once per burst of changes."""
        event.stop()
        self._sync()
        if not self._check_pending:
            self._check_pending = True
            self.call_later(self._check_and_report)

    def _check_and_report(self) -> None:
        self._check_pending = False
        self.post_message(self.Edited(self.check()))

    @on(Input.Submitted, "#param-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())
