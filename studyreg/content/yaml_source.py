"""Safe YAML reading that remembers where every value came from.

Packs may come from strangers, so this reader only ever builds plain data
(dicts, lists, strings, numbers, booleans, None), refuses unknown tags, caps
file size, nesting depth and alias expansion, and reports every problem with
its line and column instead of raising a traceback.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from studyreg.errors import StudyregError

try:  # libyaml is an order of magnitude faster; PyYAML wheels ship it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from studyreg.content.problems import Problem

MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 1_000_000


class _CachingLoader(_Loader):  # type: ignore[misc,valid-type]
    """Tag resolution is the slowest Python step of composing; most scalars repeat."""

    _cache: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not isinstance(value, str) or len(value) > 64:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._cache.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._cache) < 100_000:
                self._cache[key] = tag
        return tag


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as its text: dates are labels here
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Finds where a value (or a mapping key) of a YAML document starts, 1-based.

    Positions are looked up lazily in the composed node tree, so reading a pack
    costs nothing extra until a problem needs locating.
    """

    file: str
    root: yaml.Node | None = None
    text: str = ""

    def release(self) -> None:
        """Drop the node tree (it is rebuilt from the text if a position is needed again)."""
        self.root = None

    def _node(self, path: Path_, *, key: bool) -> yaml.Node | None:
        if self.root is None and self.text:
            with gc_paused():
                self.root = yaml.compose(self.text, Loader=_CachingLoader)
        node = self.root
        for i, part in enumerate(path):
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if getattr(key_node, "value", None) == part:
                        if key and i == len(path) - 1:
                            return key_node
                        node = value_node
                        break
                else:
                    return node
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                node = node.value[part]
            else:
                return node
        return node

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor found in the file."""
        node = self._node(path, key=key)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(
        self, path: Path_, message: str, *, key: bool = False, shown_path: str = ""
    ) -> Problem:
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, shown_path, message)


class YamlProblems(StudyregError):
    """The file could not be read as safe YAML; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def read_yaml(path: Path, *, display: str | None = None) -> tuple[Any, SourceMap]:
    """Read one YAML file into plain data and its source map.

    Raises :class:`YamlProblems` for anything that is not a small, safe, UTF-8
    YAML document.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblems(
                [
                    Problem(
                        name,
                        1,
                        1,
                        "",
                        f"file is {size:,} bytes; packs are capped at {MAX_FILE_BYTES:,} bytes per file",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise YamlProblems(
            [Problem(name, 1, 1, "", f"cannot read file: {error.strerror or error}")]
        ) from None
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes | str, name: str) -> tuple[Any, SourceMap]:
    """Parse YAML text (bytes must be UTF-8) into plain data and its source map."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise YamlProblems([Problem(name, 1, 1, "", f"file is over {MAX_FILE_BYTES:,} bytes")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line, column = _offset_position(raw, error.start)
            raise YamlProblems(
                [
                    Problem(
                        name,
                        line,
                        column,
                        "",
                        f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
                    )
                ]
            ) from None
    else:
        text = raw
    if not text.strip():
        raise YamlProblems([Problem(name, 1, 1, "", "file is empty; expected a YAML mapping")])
    try:
        loader = _CachingLoader(text)
        try:
            with gc_paused():
                node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise YamlProblems(
            [Problem(name, line, column, "", f"YAML syntax error: {message}")]
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblems([Problem(name, 1, 1, "", f"YAML error: {error}")]) from None
    except RecursionError:
        raise YamlProblems([Problem(name, 1, 1, "", "YAML nesting is too deep")]) from None
    if node is None:
        raise YamlProblems(
            [Problem(name, 1, 1, "", "file has no YAML document; expected a mapping")]
        )
    builder = _Builder(name)
    if "&" in text:  # without anchors there are no aliases to expand
        builder.check_size(node)
    data = builder.build(node)
    if builder.problems:
        raise YamlProblems(builder.problems)
    return data, SourceMap(name, node, text)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Composing allocates many small objects that live on; without this pause the
    cyclic collector re-scans them over and over (4x slower on a large pack)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _offset_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


class _Builder:
    """Turns a composed node graph into plain data, recording positions."""

    def __init__(self, name: str) -> None:
        self.file = name
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def _problem(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, "", message))

    def check_size(self, root: yaml.Node) -> None:
        """Refuse alias bombs: the fully expanded document must stay small."""
        sizes: dict[int, int] = {}
        # Iterative post-order walk; shared (aliased) nodes are sized once.
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        on_path: set[int] = set()
        while stack:
            node, done = stack.pop()
            key = id(node)
            if done:
                on_path.discard(key)
                total = 1 + sum(sizes[id(child)] for child in _children(node))
                if total > MAX_EXPANDED_NODES:
                    self._problem(
                        node,
                        f"document expands to more than {MAX_EXPANDED_NODES:,} values "
                        "(too many aliases); refusing it",
                    )
                    raise YamlProblems(self.problems)
                sizes[key] = total
                continue
            if key in sizes:
                continue
            if key in on_path:
                self._problem(node, "recursive alias: a value that contains itself")
                raise YamlProblems(self.problems)
            on_path.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            self._problem(node, f"nesting deeper than {MAX_DEPTH} levels; refusing it")
            raise YamlProblems(self.problems)
        if isinstance(node, yaml.MappingNode):
            if node.tag not in (_MAP_TAG, "tag:yaml.org,2002:omap"):
                self._problem(node, f"unsupported YAML tag {node.tag!r}")
                return None
            self._constructor.flatten_mapping(node)
            result: dict[str, Any] = {}
            first_seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(key_node, "mapping keys must be plain text")
                    continue
                key = str(key_node.value)
                if key in first_seen:
                    self._problem(
                        key_node, f"duplicate key {key!r} (first at line {first_seen[key]})"
                    )
                    continue
                first_seen[key] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._problem(node, f"unsupported YAML tag {node.tag!r}")
                return None
            return [self.build(child, depth + 1) for child in node.value]
        if node.tag not in _SCALAR_TAGS:
            self._problem(node, f"unsupported YAML tag {node.tag!r}; packs hold plain data only")
            return None
        if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return node.value
        try:
            return self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
