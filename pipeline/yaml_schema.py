"""Reads composed YAML into plain values and checks them against declared schemas.

Every error names the file, the line and the key path (and the rule id where there is one),
so one validator serves every section of rules.yaml.
"""

from __future__ import annotations

import math
import re

import yaml

from .errors import RulesError
from .regex_safety import unsafe_reason

# Bounds that keep a hostile file from exhausting memory (anchors expanding exponentially).
MAX_NODES = 200_000
# Deeper than any real rules file; stops recursive anchors ("&a [*a]") and bracket bombs.
MAX_DEPTH = 40
# Plain YAML values only: an explicit python/binary/set/custom tag is refused, never built.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in
               ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class YamlReader:
    """Turns composed YAML nodes into Python values, remembering the line of each path."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[tuple, int] = {}
        self.nodes_seen = 0
        self._constructor = yaml.constructor.SafeConstructor()

    def fail(self, where: tuple, message: str, rule_id: str | None = None) -> RulesError:
        line = self.lines.get(where)
        location = f"{self.path}:{line}" if line else self.path
        key = ".".join(str(part) for part in where) or "(top)"
        rule = f" rule '{rule_id}'" if rule_id else ""
        return RulesError(f"{location}:{rule} key '{key}': {message}")

    def value(self, node: yaml.Node, where: tuple):
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            raise self.fail(where, f"more than {MAX_NODES} YAML nodes (alias expansion?)")
        self.lines[where] = node.start_mark.line + 1
        if len(where) > MAX_DEPTH:
            raise self.fail(where[:MAX_DEPTH], f"nested more than {MAX_DEPTH} levels deep "
                                               "(a recursive anchor?)")
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(where, f"YAML tag '{node.tag}' is not allowed (plain values only)")
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(where, "keys must be plain scalars")
                key = key_node.value
                if key in result:
                    self.lines[where + (key,)] = key_node.start_mark.line + 1
                    raise self.fail(where + (key,), "duplicate key")
                result[key] = self.value(value_node, where + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, where + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            raise self.fail(where, f"unreadable value ({error.problem or error})") from None
        except (ValueError, OverflowError) as error:  # e.g. an integer of 5,000 digits
            raise self.fail(where, f"unreadable value ({error.__class__.__name__})") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(where, "must be a finite number (not .nan or .inf)")
        return value


def check_keys(reader: YamlReader, mapping, schema: dict, where: tuple, rule_id=None) -> None:
    if not isinstance(mapping, dict):
        raise reader.fail(where, "must be a mapping", rule_id)
    for key, value in mapping.items():
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise reader.fail(where + (key,), f"unknown key (known: {known})", rule_id)
        expected = schema[key]
        if not isinstance(value, expected) or (expected in (int, (int, float)) and
                                                isinstance(value, bool)):
            names = expected.__name__ if isinstance(expected, type) else \
                " or ".join(t.__name__ for t in expected)
            raise reader.fail(where + (key,), f"must be {names}", rule_id)


def string_list(reader: YamlReader, values: list, where: tuple, rule_id=None) -> tuple[str, ...]:
    for i, item in enumerate(values):
        if isinstance(item, bool):
            raise reader.fail(where + (i,), "must be a string (YAML reads unquoted yes/no/on/"
                                            "off/true/false as booleans: quote it)", rule_id)
        if not isinstance(item, str) or not item.strip():
            raise reader.fail(where + (i,), "must be a non-empty string", rule_id)
    return tuple(values)


def compile_check(reader: YamlReader, pattern: str, where: tuple, rule_id=None) -> None:
    try:
        compiled = re.compile(pattern)
        reason = unsafe_reason(compiled.pattern)
    except re.error as error:
        raise reader.fail(where, f"bad regular expression ({error})", rule_id) from None
    except RecursionError:
        # The parser and the safety check walk groups recursively.
        raise reader.fail(where, "bad regular expression (groups nested too deeply)", rule_id) \
            from None
    if reason:
        raise reader.fail(where, f"pattern refused: {reason}", rule_id)


def number(reader: YamlReader, raw: dict, key: str, where: tuple, low: float, high: float,
            default: float | None = None, rule_id=None) -> float:
    if key not in raw:
        if default is None:
            raise reader.fail(where, f"missing '{key}'", rule_id)
        return default
    value = float(raw[key])
    if not low <= value <= high:
        raise reader.fail(where + (key,), f"must lie between {low:g} and {high:g}", rule_id)
    return value
