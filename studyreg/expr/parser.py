"""Parsing the safe expression language into a checked tree.

Python's own parser (``ast.parse(mode="eval")``) reads the text; a strict whitelist then
turns its tree into ``nodes``. Nothing is ever compiled or run: ``Expression.evaluate``
walks the checked tree. Allowed: numbers, ``true``/``false``, dotted names
(``lasso.n_zero``; no segment may start with ``_``), parentheses, unary ``- + not``,
binary ``+ - * / // % **``, chained comparisons ``< <= > >= == !=``, ``and``, ``or`` and
calls to ``abs min max round log10 log sqrt exp clip``.
"""

from __future__ import annotations

import ast
import difflib
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from studyreg.expr import nodes
from studyreg.expr.errors import ExpressionError, error_at
from studyreg.expr.evaluator import INT_LIMIT, evaluate, explain

MAX_SOURCE = 500
MAX_NODES = 250
MAX_DEPTH = 100
# name -> (fewest, most) arguments; None means any number
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "clip": (3, 3),
    "exp": (1, 1),
    "log": (1, 2),
    "log10": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "round": (1, 2),
    "sqrt": (1, 1),
}
BOOLEANS = {"true": True, "True": True, "false": False, "False": False}

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_REFUSED = {
    ast.Subscript: "indexing with [...] is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.NamedExpr: "assignment with := is not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.IfExp: "'x if c else y' is not allowed",
    ast.Await: "await is not allowed",
}


@dataclass(frozen=True)
class Expression:
    """A parsed expression; ``names`` are the dotted names it refers to."""

    source: str
    names: frozenset[str]
    _root: nodes.Node = field(repr=False, compare=False)

    def evaluate(self, env: Mapping[str, Any]) -> bool | int | float:
        """The value of the expression with names looked up in ``env``.

        Raises ``ExpressionError`` for an unknown or non-numeric name, division by zero,
        overflow, a huge power or a non-finite result.
        """
        return evaluate(self._root, env, self.source)

    def explain(self, env: Mapping[str, Any]) -> str:
        """The source with each name's value after it: ``a (=42) > b (=0)``. Never raises."""
        return explain(self._root, env, self.source)


def parse_expression(source: str) -> Expression:
    """Parse ``source``, or raise ``ExpressionError`` pointing at the column of the problem."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, got {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise error_at(
            ExpressionError,
            source,
            MAX_SOURCE,
            f"the expression is too long ({len(source)} characters; at most {MAX_SOURCE})",
        )
    _check_characters(source)
    flat = source.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    body = flat.lstrip()
    lead = len(flat) - len(body)
    if not body.strip():
        raise ExpressionError("the expression is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tokenizer warns about e.g. '1if'
            tree = ast.parse(body + "\n", mode="eval")  # "\n": end-of-input errors get a column
    except SyntaxError as error:
        offset = max((error.offset or 1) - 1, 0)
        message = _syntax_message(error)
        if offset >= len(body.rstrip()) and message == "invalid syntax here":
            offset, message = len(body.rstrip()), "the expression ends too early"
        raise error_at(ExpressionError, source, lead + offset, message) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression is nested too deeply") from None
    checker = _Checker(source, flat, lead)
    root = checker.check(tree.body, 0)
    return Expression(source, frozenset(checker.names), root)


def _check_characters(source: str) -> None:
    for i, char in enumerate(source):
        if char in "\t\n\r" or (" " <= char <= "~" and char not in "'\"\\#"):
            continue
        if char in "'\"":
            start = i
            while start > 0 and source[start - 1] in "fFrRbBuU":
                start -= 1
            is_f = "f" in source[start:i].lower() and (
                start == 0 or not source[start - 1].isalnum()
            )
            message = "f-strings are not allowed" if is_f else "strings are not allowed"
            raise error_at(ExpressionError, source, start if is_f else i, message)
        if char == "\\":
            message = "backslashes are not allowed"
        elif char == "#":
            message = "comments (#) are not allowed"
        elif char == "\u2212":
            message = "use '-' (ASCII hyphen-minus) for minus"
        else:
            message = f"unexpected character {char!r}; use ASCII letters, digits and operators"
        raise error_at(ExpressionError, source, i, message)


def _syntax_message(error: SyntaxError) -> str:
    message = error.msg or "invalid syntax"
    if message.startswith("invalid syntax"):
        return "invalid syntax here"
    return message


class _Checker:
    """Turns a Python ``ast`` into ``nodes``, refusing everything not whitelisted."""

    def __init__(self, source: str, flat: str, lead: int) -> None:
        self.source = source
        self.flat = flat
        self.lead = lead
        self.names: set[str] = set()
        self.count = 0

    def fail(self, offset: int, message: str) -> ExpressionError:
        error = error_at(ExpressionError, self.source, offset, message)
        assert isinstance(error, ExpressionError)
        return error

    def at(self, node: ast.AST) -> int:
        return self.lead + getattr(node, "col_offset", 0)

    def end(self, node: ast.AST) -> int:
        return self.lead + (getattr(node, "end_col_offset", None) or 0)

    def operator_after(self, node: ast.AST) -> int:
        """The offset of the operator that follows ``node`` (past spaces and ')')."""
        i = self.end(node)
        while i < len(self.flat) and self.flat[i] in " )":
            i += 1
        return i

    def check(self, node: ast.AST, depth: int) -> nodes.Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                self.at(node), f"the expression is too complex (more than {MAX_NODES} parts)"
            )
        if depth > MAX_DEPTH:
            raise self.fail(
                self.at(node), f"the expression is nested too deeply (more than {MAX_DEPTH} levels)"
            )
        down = depth + 1
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name | ast.Attribute):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            ops = {ast.USub: "-", ast.UAdd: "+", ast.Not: "not"}
            if type(node.op) not in ops:
                raise self.fail(self.at(node), "the operator ~ is not allowed")
            return nodes.Unary(ops[type(node.op)], self.check(node.operand, down), self.at(node))
        if isinstance(node, ast.BinOp):
            where = self.operator_after(node.left)
            if type(node.op) not in _BINARY:
                symbol = self.flat[where : where + 2].strip()
                raise self.fail(where, f"the operator {symbol!r} is not allowed")
            left = self.check(node.left, down)
            return nodes.Binary(_BINARY[type(node.op)], left, self.check(node.right, down), where)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            operands = tuple(self.check(value, down) for value in node.values)
            return nodes.Logic(op, operands, self.at(node))
        if isinstance(node, ast.Compare):
            return self.compare(node, down)
        if isinstance(node, ast.Call):
            return self.call(node, down)
        message = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed")
        raise self.fail(self.at(node), message)

    def constant(self, node: ast.Constant) -> nodes.Number:
        value = node.value
        if isinstance(value, bool):
            return nodes.Number(value, self.at(node))
        if isinstance(value, int):
            if abs(value) > INT_LIMIT:
                raise self.fail(self.at(node), "the number is too large")
            return nodes.Number(value, self.at(node))
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail(self.at(node), "the number is too large")
            return nodes.Number(value, self.at(node))
        if isinstance(value, complex):
            raise self.fail(self.at(node), "complex numbers are not allowed")
        kind = "None" if value is None else "..." if value is Ellipsis else type(value).__name__
        raise self.fail(self.at(node), f"{kind} is not allowed")

    def name(self, node: ast.Name | ast.Attribute) -> nodes.Node:
        segments: list[tuple[str, int]] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            segments.append((current.attr, self.end(current) - len(current.attr)))
            current = current.value
        if not isinstance(current, ast.Name):
            attr, where = segments[-1]
            raise self.fail(where, f"'.{attr}' can only follow a name, as in lasso.n_zero")
        segments.append((current.id, self.at(current)))
        segments.reverse()
        for segment, where in segments:
            if segment.startswith("_"):
                raise self.fail(where, f"names may not start with '_' ({segment!r})")
        dotted = ".".join(segment for segment, _ in segments)
        if dotted in BOOLEANS:
            return nodes.Number(BOOLEANS[dotted], self.at(node))
        if dotted in FUNCTIONS:
            raise self.fail(self.at(node), f"{dotted!r} is a function; call it as {dotted}(...)")
        self.names.add(dotted)
        return nodes.Name(dotted, self.at(node), self.end(node))

    def compare(self, node: ast.Compare, down: int) -> nodes.Compare:
        first = self.check(node.left, down)
        rest = []
        previous: ast.expr = node.left
        for op, operand in zip(node.ops, node.comparators, strict=True):
            where = self.operator_after(previous)
            if type(op) not in _COMPARE:
                word = {ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
                raise self.fail(where, f"{word.get(type(op), 'this comparison')!r} is not allowed")
            rest.append((_COMPARE[type(op)], self.check(operand, down), where))
            previous = operand
        return nodes.Compare(first, tuple(rest))

    def call(self, node: ast.Call, down: int) -> nodes.Call:
        allowed = ", ".join(sorted(FUNCTIONS))
        if not isinstance(node.func, ast.Name):
            raise self.fail(self.at(node.func), f"only these functions can be called: {allowed}")
        name = node.func.id
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, FUNCTIONS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {allowed}"
            raise self.fail(self.at(node.func), f"unknown function {name!r}{hint}")
        if node.keywords:
            keyword = node.keywords[0]
            raise self.fail(self.at(keyword), "keyword arguments are not allowed")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(self.at(arg), "* unpacking is not allowed")
        fewest, most = FUNCTIONS[name]
        given = len(node.args)
        if given < fewest or (most is not None and given > most):
            want = (
                f"{fewest}"
                if fewest == most
                else f"{fewest} to {most}"
                if most
                else f"at least {fewest}"
            )
            plural = "" if want.split()[-1] == "1" else "s"
            raise self.fail(self.at(node), f"{name}() takes {want} argument{plural}, got {given}")
        return nodes.Call(name, tuple(self.check(arg, down) for arg in node.args), self.at(node))
