"""The checked tree of an expression: only what the language allows, with source offsets."""

from __future__ import annotations

from dataclasses import dataclass

Value = bool | int | float


@dataclass(frozen=True)
class Number:
    value: Value
    at: int


@dataclass(frozen=True)
class Name:
    name: str
    at: int
    end: int


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+", "not"
    operand: Node
    at: int


@dataclass(frozen=True)
class Binary:
    op: str  # "+", "-", "*", "/", "//", "%", "**"
    left: Node
    right: Node
    at: int  # where the operator is


@dataclass(frozen=True)
class Logic:
    op: str  # "and", "or"
    operands: tuple[Node, ...]
    at: int


@dataclass(frozen=True)
class Compare:
    first: Node
    rest: tuple[tuple[str, Node, int], ...]  # (operator, operand, where the operator is)


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]
    at: int


Node = Number | Name | Unary | Binary | Logic | Compare | Call
