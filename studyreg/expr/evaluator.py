"""Evaluating a checked expression tree over named numbers, with every step guarded.

Values are bools, ints and floats, as in Python. Every intermediate result must be
finite and no larger than ``INT_LIMIT``; powers are limited to exponents of at most
``MAX_EXPONENT`` in size, so no expression can hang or exhaust memory.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import numbers
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from studyreg.expr import nodes
from studyreg.expr.errors import ExpressionError, error_at

Value = bool | int | float
INT_LIMIT = 2**1024  # just past the largest float
MAX_EXPONENT = 64
MAX_LOG10 = 308  # a result above 10**308 would overflow a float


def evaluate(root: nodes.Node, env: Mapping[str, Any], source: str) -> Value:
    """The value of ``root`` with names from ``env``; raises ``ExpressionError``."""
    return _Evaluator(env, source).run(root)


def explain(root: nodes.Node, env: Mapping[str, Any], source: str) -> str:
    """``source`` with `` (=value)`` after each name; ``(=?)`` for a name not in ``env``."""
    spans: list[nodes.Name] = []
    _collect_names(root, spans)
    pieces, last = [], 0
    for name in sorted(spans, key=lambda n: n.end):
        value = env.get(name.name, _MISSING) if isinstance(env, Mapping) else _MISSING
        pieces.append(source[last : name.end] + f" (={_show(value)})")
        last = name.end
    pieces.append(source[last:])
    return "".join(pieces)


_MISSING = object()


def _show(value: Any) -> str:
    if value is _MISSING:
        return "?"
    if hasattr(value, "item") and not isinstance(value, bool | int | float):
        with contextlib.suppress(Exception):  # not a scalar: show it as it is
            value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else f"{Decimal(value):.6g}"
    if isinstance(value, float):
        text = repr(value)
        return text if len(text) <= 12 else f"{value:.6g}"
    text = repr(value)
    return text if len(text) <= 20 else text[:19] + "…"


def _collect_names(node: nodes.Node, into: list[nodes.Name]) -> None:
    if isinstance(node, nodes.Name):
        into.append(node)
    elif isinstance(node, nodes.Unary):
        _collect_names(node.operand, into)
    elif isinstance(node, nodes.Binary):
        _collect_names(node.left, into)
        _collect_names(node.right, into)
    elif isinstance(node, nodes.Logic | nodes.Call):
        for child in node.operands if isinstance(node, nodes.Logic) else node.args:
            _collect_names(child, into)
    elif isinstance(node, nodes.Compare):
        _collect_names(node.first, into)
        for _, operand, _ in node.rest:
            _collect_names(operand, into)


_COMPARE: dict[str, Callable[[Value, Value], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


class _Evaluator:
    def __init__(self, env: Mapping[str, Any], source: str) -> None:
        if not isinstance(env, Mapping):
            raise ExpressionError(f"the names must be given as a mapping, got {type(env).__name__}")
        self.env = env
        self.source = source

    def fail(self, offset: int, message: str) -> ExpressionError:
        error = error_at(ExpressionError, self.source, offset, message)
        assert isinstance(error, ExpressionError)
        return error

    def checked(self, value: Any, at: int) -> Value:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) > INT_LIMIT:
                raise self.fail(at, "the result is too large")
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail(at, f"the result is not a finite number ({value})")
            return value
        raise self.fail(at, "the result is not a real number")

    def run(self, node: nodes.Node) -> Value:
        if isinstance(node, nodes.Number):
            return node.value
        if isinstance(node, nodes.Name):
            return self.lookup(node)
        if isinstance(node, nodes.Unary):
            operand = self.run(node.operand)
            if node.op == "not":
                return not operand
            return self.checked(-operand if node.op == "-" else +operand, node.at)
        if isinstance(node, nodes.Binary):
            return self.binary(node)
        if isinstance(node, nodes.Logic):
            result = self.run(node.operands[0])
            for child in node.operands[1:]:
                if (node.op == "and") != bool(result):  # Python's short circuit
                    return result
                result = self.run(child)
            return result
        if isinstance(node, nodes.Compare):
            left = self.run(node.first)
            for op, child, _ in node.rest:
                right = self.run(child)
                if not _COMPARE[op](left, right):
                    return False
                left = right
            return True
        return self.call(node)

    def lookup(self, node: nodes.Name) -> Value:
        if node.name not in self.env:
            known = [key for key in self.env if isinstance(key, str)]
            close = difflib.get_close_matches(node.name, known, n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise self.fail(node.at, f"unknown name {node.name!r}{hint}")
        value = self.env[node.name]
        if hasattr(value, "item") and not isinstance(value, bool | int | float):
            try:
                value = value.item()  # a NumPy scalar or 0-d array
            except Exception:
                raise self.fail(node.at, f"{node.name!r} is not a single number") from None
        if isinstance(value, bool | int | float):
            pass
        elif isinstance(value, numbers.Integral):
            value = int(value)
        elif isinstance(value, numbers.Real):
            value = float(value)
        else:
            raise self.fail(
                node.at, f"{node.name!r} is not a number (it is {type(value).__name__})"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node.at, f"{node.name!r} is not a finite number ({value})")
        if isinstance(value, int) and abs(value) > INT_LIMIT:
            raise self.fail(node.at, f"{node.name!r} is too large ({_show(value)})")
        return self.checked(value, node.at)

    def binary(self, node: nodes.Binary) -> Value:
        a = self.run(node.left)
        b = self.run(node.right)
        op, at = node.op, node.at
        try:
            if op == "+":
                result: Any = a + b
            elif op == "-":
                result = a - b
            elif op == "*":
                result = a * b
            elif op == "**":
                result = self.power(a, b, at)
            elif b == 0:
                raise self.fail(at, "division by zero")
            elif op == "/":
                result = a / b
            elif op == "//":
                result = a // b
            else:
                result = a % b
        except OverflowError:
            raise self.fail(at, "the result is too large") from None
        return self.checked(result, at)

    def power(self, base: Value, exponent: Value, at: int) -> Any:
        if abs(exponent) > MAX_EXPONENT:
            raise self.fail(
                at, f"the exponent {_show(exponent)} is too large (at most {MAX_EXPONENT} in size)"
            )
        if base == 0 and exponent < 0:
            raise self.fail(at, "zero cannot be raised to a negative power")
        if base < 0 and not float(exponent).is_integer():
            raise self.fail(at, "a negative number cannot be raised to a fractional power")
        if base != 0 and abs(exponent) * math.log10(abs(base)) > MAX_LOG10:
            raise self.fail(at, "the result is too large")
        return base**exponent

    def call(self, node: nodes.Call) -> Value:
        args = [self.run(arg) for arg in node.args]
        name, at = node.function, node.at
        x = args[0]
        try:
            if name == "abs":
                result: Any = abs(x)
            elif name == "min":
                result = min(args)
            elif name == "max":
                result = max(args)
            elif name == "clip":
                low, high = args[1], args[2]
                if low > high:
                    raise self.fail(
                        at, f"clip() needs low <= high, got {_show(low)} > {_show(high)}"
                    )
                result = min(max(x, low), high)
            elif name == "round":
                result = self.round(args, at)
            elif name == "sqrt":
                if x < 0:
                    raise self.fail(at, f"sqrt() needs a number >= 0, got {_show(x)}")
                result = math.sqrt(x)
            elif name in ("log", "log10"):
                result = self.log(name, args, at)
            else:  # exp
                if x > 709:
                    raise self.fail(at, f"exp({_show(x)}) is too large")
                result = math.exp(x)
        except OverflowError:
            raise self.fail(at, "the result is too large") from None
        return self.checked(result, at)

    def round(self, args: list[Value], at: int) -> Value:
        if len(args) == 1:
            return round(args[0])
        places = args[1]
        if not float(places).is_integer() or abs(places) > 308:
            raise self.fail(at, f"round() needs a whole number of places, got {_show(places)}")
        return round(args[0], int(places))

    def log(self, name: str, args: list[Value], at: int) -> float:
        if args[0] <= 0:
            raise self.fail(at, f"{name}() needs a number > 0, got {_show(args[0])}")
        if name == "log10":
            return math.log10(args[0])
        if len(args) == 1:
            return math.log(args[0])
        base = args[1]
        if base <= 0 or base == 1:
            raise self.fail(at, f"log() needs a base > 0 other than 1, got {_show(base)}")
        return math.log(args[0], base)
