"""YAML loading that remembers where each value stands, so errors can say file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from figcheck.errors import FigcheckError

Loc = tuple[Any, ...]
MAX_DEPTH = 32  # nesting of lists and mappings
MAX_NODES = 200_000  # values once aliases are expanded: a "billion laughs" document stops here
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_shape(text: str, path: Path, first_line: int = 1, error: type[FigcheckError] = FigcheckError) -> None:
    """Refuse YAML nested too deep or whose aliases expand too far, before anything is built from it.

    Reads the event stream (libyaml's parser keeps its own stack), so a document a million
    brackets deep is refused after 32 of them instead of crashing the recursive composer.
    Raises yaml.YAMLError for text that is not YAML at all.
    """
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # per open collection: its anchor and the expanded size of its content
    for event in yaml.parse(text, Loader=_FAST):
        line = first_line + event.start_mark.line if event.start_mark else None
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) > MAX_DEPTH:
                raise error(f"YAML nested more than {MAX_DEPTH} levels deep", path, line)
            stack.append([event.anchor, 1])
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        stack[-1][1] += size
        if stack[-1][1] > MAX_NODES:
            raise error(f"YAML expands to more than {MAX_NODES:,} values (aliases repeated too often)", path, line)


def load_with_lines(path: Path, text: str | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document; return it and a map from key path to 1-based line."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FigcheckError(f"cannot read: {exc}", path) from None
    try:
        check_shape(text, path)
        node = yaml.compose(text, Loader=_FAST)  # libyaml: 14x faster, with the same marks for lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        lines = text.splitlines()
        bad = lines[line - 1] if line and line <= len(lines) else ""
        hint = ""
        if "[" in bad and any(ch in bad for ch in "?{}*|"):
            hint = "; quote regular expressions in [...] lists, as in ['deaths?', 'kill(?:ed|ing)']"
        raise FigcheckError(f"not valid YAML: {problem}{hint}", path, line) from None
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    return _build(node, (), lines), lines


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader(" ").construct_object(key_node)
            out[key] = _build(value_node, loc + (key,), lines)
            lines[loc + (key,)] = key_node.start_mark.line + 1  # the key's line, not its value's
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), lines) for i, item in enumerate(node.value)]
    return yaml.SafeLoader(" ").construct_object(node)


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest known prefix of loc."""
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None
