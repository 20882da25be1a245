"""Settings files in YAML read with their line numbers, so every error names file, line and
field (the calendar settings, the subscriptions). Strict: unknown keys, duplicate keys and
wrong types are errors, raised before any work starts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from common.errors import SettingsError


@dataclass(frozen=True)
class Node:
    """A value of the file with where it is: `value` is a scalar, a dict of Nodes or a list
    of Nodes; `line` is 1-based (a mapping value's is its key's line); `field` is its dotted
    path (`recipients.desk@example.org.areas[2]`)."""

    value: Any
    line: int
    field: str


class SettingsFile:
    """One settings file: its parsed tree and the errors that point into it."""

    def __init__(self, path: Path | str, text: str | None = None) -> None:
        self.path = str(path)
        if text is None:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except FileNotFoundError:
                raise SettingsError(self.path, None, None, "no such file") from None
            except (OSError, UnicodeDecodeError) as error:
                raise SettingsError(self.path, None, None, f"cannot be read ({error})") from None
        try:
            composed = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(error, "problem", None) or str(error)
            raise SettingsError(self.path, line, None, f"not valid YAML ({problem})") from None
        self.root = self._convert(composed, "") if composed is not None else None

    def error(self, node: Node, cause: str, field: str | None = None) -> SettingsError:
        """An error about `node` (or its child `field`), naming file, line and field."""
        return SettingsError(self.path, node.line, field or node.field or "(top level)", cause)

    def _convert(self, node: yaml.Node, field: str) -> Node:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            values: dict[str, Node] = {}
            for key_node, value_node in node.value:
                key = str(yaml.SafeLoader("").construct_object(key_node))
                child = f"{field}.{key}" if field else key
                if key in values:
                    raise SettingsError(
                        self.path, key_node.start_mark.line + 1, child, "appears twice"
                    )
                # A value is reported at its key's line: a block mapping or list under a key
                # starts on the next line, but the reader looks for the key.
                values[key] = replace(
                    self._convert(value_node, child), line=key_node.start_mark.line + 1
                )
            return Node(values, line, field)
        if isinstance(node, yaml.SequenceNode):
            items = [self._convert(item, f"{field}[{i + 1}]") for i, item in enumerate(node.value)]
            return Node(items, line, field)
        return Node(yaml.SafeLoader("").construct_object(node), line, field)

    def mapping(self, node: Node | None, allowed: Iterable[str]) -> dict[str, Node]:
        """The keys of a mapping node, refusing anything but a mapping with `allowed` keys."""
        if node is None:
            return {}
        if not isinstance(node.value, dict):
            raise self.error(node, "must be a mapping of keys to values")
        allowed = tuple(allowed)
        for key, child in node.value.items():
            if key not in allowed:
                raise self.error(child, f"unknown key (expected one of: {', '.join(allowed)})")
        return node.value

    def integer(self, node: Node, *, minimum: int | None = None, maximum: int | None = None) -> int:
        """An integer within bounds (a boolean is not an integer)."""
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(node, f"must be a whole number, not {value!r}")
        if minimum is not None and value < minimum:
            raise self.error(node, f"must be at least {minimum}, not {value}")
        if maximum is not None and value > maximum:
            raise self.error(node, f"must be at most {maximum}, not {value}")
        return value

    def text(self, node: Node) -> str:
        """A non-empty string."""
        if not isinstance(node.value, str) or not node.value.strip():
            raise self.error(node, f"must be a non-empty text, not {node.value!r}")
        return node.value.strip()

    def texts(self, node: Node) -> list[Node]:
        """A list whose items are non-empty strings (returned as nodes, for later checks)."""
        if not isinstance(node.value, list):
            raise self.error(node, f"must be a list, not {node.value!r}")
        for item in node.value:
            self.text(item)
        return node.value
