"""Reads rules.yaml, validates every key against the schemas below, and returns a Rulebook.

YAML is read with ``yaml.compose`` (safe: no tags are constructed) so that every error can
name the line of the offending key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import RulesError
from .records import DIMENSIONS, LABELS
from .regex_safety import unsafe_reason

# Bounds that keep a hostile file from exhausting memory (anchors expanding exponentially).
MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000

_RULE_KEYS = {
    "id": str, "label": (str, bool), "weight": (int, float), "cues": list, "pattern": str,
    "anchor": list, "case_sensitive": bool, "cancels": list, "description": str,
    "examples": dict,
}
_DIMENSION_KEYS = {"prior": dict, "votes": str, "rules": list}
_TOP_KEYS = {
    "version": int, "lexicons": dict, "furniture": dict, "quotes": dict, "scoring": dict,
    **{name: dict for name in DIMENSIONS},
}
_FURNITURE_KEYS = {"metadata": list, "heading_max_words": int, "final_punctuation": str,
                   "closing_marks": str, "max_sentence_chars": int}
_QUOTE_KEYS = {"pattern": str}
_SCORING_KEYS = {
    "components": dict, "source_quality": dict, "verification_penalty": dict, "bands": dict,
    "flags": list, "fusion": dict, "pronouns": list,
}
_FLAG_KEYS = {"id": str, "metric": str, "above": (int, float), "at_least": (int, float),
              "message": str}
_EXAMPLE_KEYS = {"match": list, "no_match": list}


@dataclass(frozen=True)
class Rule:
    id: str
    dimension: str
    label: object
    weight: float
    description: str
    cues: tuple[str, ...] = ()
    pattern: str | None = None
    anchor: tuple[str, ...] = ()
    case_sensitive: bool = False
    cancels: tuple[str, ...] = ()
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()

    @property
    def is_exception(self) -> bool:
        return bool(self.cancels)


@dataclass(frozen=True)
class Flagging:
    id: str
    metric: str
    message: str
    above: float | None = None
    at_least: float | None = None


@dataclass(frozen=True)
class Rulebook:
    path: str
    lexicons: dict[str, tuple[str, ...]]
    rules: tuple[Rule, ...]
    priors: dict[str, dict]
    votes: dict[str, str]
    metadata_patterns: tuple[str, ...]
    heading_max_words: int
    final_punctuation: str
    closing_marks: str
    max_sentence_chars: int
    quote_pattern: str
    scoring: dict
    flags: tuple[Flagging, ...]


class _Reader:
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
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            raise self.fail(where, f"unreadable value ({error.problem or error})") from None


def _check_keys(reader: _Reader, mapping, schema: dict, where: tuple, rule_id=None) -> None:
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


def _string_list(reader: _Reader, values: list, where: tuple, rule_id=None) -> tuple[str, ...]:
    for i, item in enumerate(values):
        if isinstance(item, bool):
            raise reader.fail(where + (i,), "must be a string (YAML reads unquoted yes/no/on/"
                                            "off/true/false as booleans: quote it)", rule_id)
        if not isinstance(item, str) or not item.strip():
            raise reader.fail(where + (i,), "must be a non-empty string", rule_id)
    return tuple(values)


def _compile_check(reader: _Reader, pattern: str, where: tuple, rule_id=None) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise reader.fail(where, f"bad regular expression ({error})", rule_id) from None
    reason = unsafe_reason(compiled.pattern)
    if reason:
        raise reader.fail(where, f"pattern refused: {reason}", rule_id)


def _label(reader: _Reader, dimension: str, raw, where: tuple, rule_id: str):
    allowed = LABELS[dimension]
    if dimension == "hedging" and isinstance(raw, str) and raw in ("true", "false"):
        raw = raw == "true"
    if raw not in allowed or (dimension != "hedging" and isinstance(raw, bool)):
        names = ", ".join(str(v).lower() for v in allowed)
        raise reader.fail(where, f"label must be one of {names}", rule_id)
    return raw


def _read_rule(reader: _Reader, dimension: str, raw, where: tuple, lexicons: dict) -> Rule:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    _check_keys(reader, raw, _RULE_KEYS, where, rule_id)
    if not rule_id:
        raise reader.fail(where, "every rule needs an 'id'")
    if "description" not in raw:
        raise reader.fail(where, "missing 'description'", rule_id)
    has_cues, has_pattern = "cues" in raw, "pattern" in raw
    if has_cues == has_pattern:
        raise reader.fail(where, "give exactly one of 'cues' and 'pattern'", rule_id)
    cancels = _string_list(reader, raw.get("cancels", []), where + ("cancels",), rule_id)
    if not cancels and "label" not in raw:
        raise reader.fail(where, "missing 'label' (or 'cancels' for an exception)", rule_id)
    label = None
    if "label" in raw:
        label = _label(reader, dimension, raw["label"], where + ("label",), rule_id)
    cues = _string_list(reader, raw.get("cues", []), where + ("cues",), rule_id)
    anchor = _string_list(reader, raw.get("anchor", []), where + ("anchor",), rule_id)
    for i, phrase in enumerate(cues + anchor):
        if phrase.startswith("@") and phrase[1:] not in lexicons:
            key = ("cues", i) if i < len(cues) else ("anchor", i - len(cues))
            raise reader.fail(where + key, f"unknown lexicon '{phrase}'", rule_id)
    pattern = raw.get("pattern")
    if pattern is not None:
        for name in re.findall(r"\{@(\w+)\}", pattern):
            if name not in lexicons:
                raise reader.fail(where + ("pattern",), f"unknown lexicon '@{name}'", rule_id)
        _compile_check(reader, expand_lexicons(pattern, lexicons), where + ("pattern",), rule_id)
    examples = raw.get("examples", {})
    _check_keys(reader, examples, _EXAMPLE_KEYS, where + ("examples",), rule_id)
    return Rule(
        id=rule_id, dimension=dimension, label=label, weight=float(raw.get("weight", 1.0)),
        description=raw["description"], cues=cues, pattern=pattern, anchor=anchor,
        case_sensitive=raw.get("case_sensitive", False), cancels=cancels,
        examples_match=_string_list(reader, examples.get("match", []),
                                    where + ("examples", "match"), rule_id),
        examples_no_match=_string_list(reader, examples.get("no_match", []),
                                       where + ("examples", "no_match"), rule_id),
    )


def expand_lexicons(pattern: str, lexicons: dict[str, tuple[str, ...]]) -> str:
    """Replace each ``{@name}`` with a case-insensitive alternation of the lexicon's phrases.

    The alternation is written as a prefix tree ("sa(?:id|ys)" rather than "said|says"): the
    regex engine then tries each character once instead of once per phrase.
    """

    def alternation(match: re.Match) -> str:
        phrases = {" ".join(p.lower().split()) for p in lexicons[match.group(1)]}
        return "(?i:" + _trie_regex(sorted(phrases)) + ")"

    return re.sub(r"\{@(\w+)\}", alternation, pattern)


def _trie_regex(phrases: list[str]) -> str:
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict) -> str:
    ends_here = "" in node
    branches = []
    for char in sorted(k for k in node if k):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _emit(node[char]))
    if not branches:
        return ""
    # Longer continuations first, the bare end last: matches prefer the longest phrase.
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    """Read and validate a rules file (the bundled one by default)."""
    from .resources import rules_path

    path = Path(path) if path is not None else rules_path()
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RulesError(f"{name}: file is larger than {MAX_FILE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesError(f"{name}: cannot read rules file ({error.__class__.__name__})") from None
    return parse_rulebook(text, name)


def parse_rulebook(text: str, name: str = "rules.yaml") -> Rulebook:
    """Validate rules given as YAML text; ``name`` is used in error messages."""
    reader = _Reader(name)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise RulesError(f"{name}{line}: not valid YAML ({problem})") from None
    if node is None:
        raise RulesError(f"{name}: the file is empty")
    raw = reader.value(node, ())
    _check_keys(reader, raw, _TOP_KEYS, ())
    for required in ("lexicons", "furniture", "quotes", "scoring", *DIMENSIONS):
        if required not in raw:
            raise reader.fail((), f"missing section '{required}'")

    lexicons = {}
    for lex_name, phrases in raw["lexicons"].items():
        where = ("lexicons", lex_name)
        if not isinstance(phrases, list) or not phrases:
            raise reader.fail(where, "a lexicon must be a non-empty list of phrases")
        lexicons[lex_name] = _string_list(reader, phrases, where)

    rules, seen_ids, priors, votes = [], {}, {}, {}
    for dimension in DIMENSIONS:
        section = raw[dimension]
        _check_keys(reader, section, _DIMENSION_KEYS, (dimension,))
        votes[dimension] = section.get("votes", "sum")
        if votes[dimension] not in ("sum", "max"):
            raise reader.fail((dimension, "votes"), "must be 'sum' or 'max'")
        prior = section.get("prior", {})
        priors[dimension] = {}
        for key, value in prior.items():
            label = _label(reader, dimension, key, (dimension, "prior", key), None)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise reader.fail((dimension, "prior", key), "must be a number")
            priors[dimension][label] = float(value)
        for i, raw_rule in enumerate(section.get("rules", [])):
            rule = _read_rule(reader, dimension, raw_rule, (dimension, "rules", i), lexicons)
            if rule.id in seen_ids:
                raise reader.fail((dimension, "rules", i, "id"),
                                  f"duplicate id (first at {seen_ids[rule.id]})", rule.id)
            seen_ids[rule.id] = f"line {reader.lines.get((dimension, 'rules', i), '?')}"
            rules.append(rule)
    for rule in rules:
        for target in rule.cancels:
            if target not in seen_ids:
                raise RulesError(f"{name}: rule '{rule.id}' key 'cancels': unknown rule '{target}'")

    furniture = raw["furniture"]
    _check_keys(reader, furniture, _FURNITURE_KEYS, ("furniture",))
    metadata = _string_list(reader, furniture.get("metadata", []), ("furniture", "metadata"))
    for i, pattern in enumerate(metadata):
        _compile_check(reader, pattern, ("furniture", "metadata", i))
    quotes = raw["quotes"]
    _check_keys(reader, quotes, _QUOTE_KEYS, ("quotes",))
    _compile_check(reader, quotes.get("pattern", ""), ("quotes", "pattern"))

    scoring = raw["scoring"]
    _check_keys(reader, scoring, _SCORING_KEYS, ("scoring",))
    flags = []
    for i, raw_flag in enumerate(scoring.get("flags", [])):
        where = ("scoring", "flags", i)
        _check_keys(reader, raw_flag, _FLAG_KEYS, where, raw_flag.get("id") if
                    isinstance(raw_flag, dict) else None)
        for key in ("id", "metric", "message"):
            if key not in raw_flag:
                raise reader.fail(where, f"missing '{key}'")
        flags.append(Flagging(id=raw_flag["id"], metric=raw_flag["metric"],
                              message=raw_flag["message"], above=raw_flag.get("above"),
                              at_least=raw_flag.get("at_least")))
    return Rulebook(
        path=name, lexicons=lexicons, rules=tuple(rules), priors=priors, votes=votes,
        metadata_patterns=metadata, heading_max_words=furniture.get("heading_max_words", 14),
        final_punctuation=furniture.get("final_punctuation", ".!?"),
        closing_marks=furniture.get("closing_marks", ""),
        max_sentence_chars=furniture.get("max_sentence_chars", 5000),
        quote_pattern=quotes.get("pattern", ""), scoring=scoring, flags=tuple(flags),
    )
