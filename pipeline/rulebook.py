"""Reads rules.yaml, validates every key against the schemas below, and returns a Rulebook.

YAML is read with ``yaml.compose`` (safe: no tags are constructed) so that every error can
name the line of the offending key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from .errors import RulesError
from .lexicon_regex import expand_lexicons, phrase_regex
from .records import DIMENSIONS, LABELS
from .yaml_schema import YamlReader, check_keys, compile_check, number, string_list

# A rules file larger than this is refused unread.
MAX_FILE_BYTES = 2_000_000
_RULE_KEYS = {
    "id": str, "label": (str, bool), "weight": (int, float), "cues": list, "pattern": str,
    "anchor": list, "case_sensitive": bool, "cancels": list, "description": str,
    "examples": dict, "ends_at_anchor": bool, "requires": list,
}
_DIMENSION_KEYS = {"prior": dict, "votes": str, "rules": list}
_TOP_KEYS = {
    "version": int, "lexicons": dict, "furniture": dict, "quotes": dict, "scoring": dict,
    "spin": dict, "check_next": dict, **{name: dict for name in DIMENSIONS},
}
_FURNITURE_KEYS = {"metadata": list, "heading_max_words": int, "final_punctuation": str,
                   "closing_marks": str, "max_sentence_chars": int}
_QUOTE_KEYS = {"pattern": str}
_SCORING_KEYS = {
    "components": dict, "source_quality": dict, "verification_penalty": dict, "bands": dict,
    "flags": list, "fusion": dict, "pronouns": list, "person_pronouns": list,
    "organisation_words": list, "determiners": list, "name_suffixes": list,
    "unverified_document_lexicon": str,
}
# Every key of `scoring` except its flags must be given: the code holds no fallback values.
_SCORING_REQUIRED = tuple(key for key in _SCORING_KEYS if key != "flags")
_FLAG_KEYS = {"id": str, "metric": str, "above": (int, float), "at_least": (int, float),
              "message": str}
_EXAMPLE_KEYS = {"match": list, "no_match": list}
_NUMBER = (int, float)
# The article-score components aggregate.py computes: a weight under any other name is refused.
# The quantities aggregate.metrics computes for the flags (a test keeps the two in step).
FLAG_METRICS = ("anonymous_share_of_attributed", "unattributed_share", "hedged_share",
                "disputed_count", "unverified_count", "document_claims_unverified",
                "single_source_attributed", "machine_paraphrased")
SCORE_COMPONENTS = ("attribution_coverage", "source_quality", "committed_claims",
                    "verification_standing", "original_wording")
_SPIN_KEYS = {"flag_at": _NUMBER, "substitution_scale": _NUMBER, "substitutions": list,
              "patterns": list, "word_choice": dict}
_SUBSTITUTION_KEYS = {"spun": str, "original": str, "weight": _NUMBER}
_SPIN_PATTERN_KEYS = {"id": str, "pattern": str, "original": str, "weight": _NUMBER,
                      "description": str, "anchor": list, "examples": dict}
_WORD_CHOICE_KEYS = {"pairs": list, "prior_share": _NUMBER, "prior_weight": _NUMBER,
                     "low": _NUMBER, "high": _NUMBER}
_CHECK_NEXT_KEYS = {"max_claims": int, "lead_max_sentences": int,
                    "reasons": dict}
CHECK_REASONS = ("lead", "top_source", "none", "anonymous", "document", "hedged", "unverified",
                 "disputed")
_REASON_KEYS = {"text": str, "weight": _NUMBER}


@dataclass(frozen=True)
class Rule:
    id: str
    dimension: str
    label: object
    weight: float
    description: str
    cues: tuple[str, ...] = ()
    pattern: str | None = None  # {@lexicon} references already written out
    anchor: tuple[str, ...] = ()
    case_sensitive: bool = False
    cancels: tuple[str, ...] = ()
    # The pattern's match ends with one of its anchors, so text after the last anchor seen
    # need not be scanned.
    ends_at_anchor: bool = False
    # Words or @lexicons of which every match holds one as whole tokens: the pattern runs only
    # when one of these is in the sentence too (besides an anchor).
    requires: tuple[str, ...] = ()
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
class Substitution:
    """A phrase a synonym spinner writes in place of a plain one (rules.yaml `spin`)."""

    spun: str
    original: str
    weight: float


@dataclass(frozen=True)
class SpinPattern:
    id: str
    pattern: str  # {@lexicon} references already written out
    original: str
    weight: float
    description: str
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    anchor: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpinRules:
    """The `spin` section: substitutes, patterns and the word-choice cue's parameters."""

    flag_at: float
    substitution_scale: float
    substitutions: tuple[Substitution, ...]
    patterns: tuple[SpinPattern, ...]
    pairs: tuple[tuple[str, str], ...]
    prior_share: float
    prior_weight: float
    low: float
    high: float


@dataclass(frozen=True)
class CheckNextRules:
    """The `check_next` section: how many claims, the lead's size, reason words and weights."""

    max_claims: int
    lead_max_sentences: int
    reasons: dict[str, tuple[str, float]]  # code -> (text, weight), one per CHECK_REASONS code


@dataclass(frozen=True)
class ScoringRules:
    """The `scoring` section except its flags (Rulebook.flags): the article score's weights and
    bands, the fusion weights and the words that tell sources apart; every value present."""

    components: dict[str, float]  # weight of each component the score uses, in the file's order
    source_quality: dict[str, float]  # every source label but "none"
    verification_penalty: dict[str, float]  # every verification label
    bands: dict[str, float]  # the lowest score of "strong" and of "mixed"
    # Per dimension, w in combined ∝ rules^w · model^(1−w) (`fusion.rule_weight`).
    rule_weight: dict[str, float]
    # The same for the sentences of an article read as spun (`fusion.paraphrased_rule_weight`,
    # rule_weight where the file gives none).
    paraphrased_rule_weight: dict[str, float]
    words: SourceWords
    # Any phrase of the lexicon `unverified_document_lexicon` names, as a whole word: the
    # unverified-document flag asks whether the unverified thing is a document.
    document_words: re.Pattern


class SourceWords(NamedTuple):
    """`scoring`'s word lists for telling sources apart, lower-cased sets (sources.py reads them
    for every article); each field is the `scoring` key of the same name."""

    pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    organisation_words: frozenset[str]
    determiners: frozenset[str]
    name_suffixes: frozenset[str]


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
    scoring: ScoringRules
    flags: tuple[Flagging, ...]
    spin: SpinRules | None = None
    check_next: CheckNextRules | None = None


def _label(reader: YamlReader, dimension: str, raw, where: tuple, rule_id: str):
    allowed = LABELS[dimension]
    if dimension == "hedging" and isinstance(raw, str) and raw in ("true", "false"):
        raw = raw == "true"
    if raw not in allowed or (dimension != "hedging" and isinstance(raw, bool)):
        names = ", ".join(str(v).lower() for v in allowed)
        raise reader.fail(where, f"label must be one of {names}", rule_id)
    return raw


def _expanded_pattern(reader: YamlReader, pattern: str, lexicons: dict, where: tuple,
                      rule_id: str | None) -> str:
    """A rule's or a spin pattern's regex with its {@lexicon} references written out, checked
    to name known lexicons and to compile safely."""
    for name in re.findall(r"\{@(\w+)\}", pattern):
        _check_lexicon(reader, name, lexicons, where, rule_id)
    expanded = expand_lexicons(pattern, lexicons)
    compile_check(reader, expanded, where, rule_id)
    return expanded


def _read_rule(reader: YamlReader, dimension: str, raw, where: tuple, lexicons: dict) -> Rule:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    check_keys(reader, raw, _RULE_KEYS, where, rule_id)
    if not rule_id:
        raise reader.fail(where, "every rule needs an 'id'")
    if "description" not in raw:
        raise reader.fail(where, "missing 'description'", rule_id)
    has_cues, has_pattern = "cues" in raw, "pattern" in raw
    if has_cues == has_pattern:
        raise reader.fail(where, "give exactly one of 'cues' and 'pattern'", rule_id)
    cancels = string_list(reader, raw.get("cancels", []), where + ("cancels",), rule_id)
    if not cancels and "label" not in raw:
        raise reader.fail(where, "missing 'label' (or 'cancels' for an exception)", rule_id)
    label = None
    if "label" in raw:
        label = _label(reader, dimension, raw["label"], where + ("label",), rule_id)
    cues = string_list(reader, raw.get("cues", []), where + ("cues",), rule_id)
    anchor = string_list(reader, raw.get("anchor", []), where + ("anchor",), rule_id)
    requires = string_list(reader, raw.get("requires", []), where + ("requires",), rule_id)
    for key, phrases in (("cues", cues), ("anchor", anchor), ("requires", requires)):
        for i, phrase in enumerate(phrases):
            if phrase.startswith("@"):
                _check_lexicon(reader, phrase[1:], lexicons, where + (key, i), rule_id)
    if requires and not anchor:
        raise reader.fail(where + ("requires",), "needs an 'anchor' (it narrows one)", rule_id)
    pattern = raw.get("pattern")
    if pattern is not None:
        pattern = _expanded_pattern(reader, pattern, lexicons, where + ("pattern",), rule_id)
    examples = raw.get("examples", {})
    check_keys(reader, examples, _EXAMPLE_KEYS, where + ("examples",), rule_id)
    return Rule(
        id=rule_id, dimension=dimension, label=label, weight=float(raw.get("weight", 1.0)),
        description=raw["description"], cues=cues, pattern=pattern, anchor=anchor,
        case_sensitive=raw.get("case_sensitive", False), cancels=cancels,
        ends_at_anchor=raw.get("ends_at_anchor", False), requires=requires,
        examples_match=string_list(reader, examples.get("match", []),
                                    where + ("examples", "match"), rule_id),
        examples_no_match=string_list(reader, examples.get("no_match", []),
                                       where + ("examples", "no_match"), rule_id),
    )


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
    reader = YamlReader(name)
    if len(text) > MAX_FILE_BYTES:
        raise RulesError(f"{name}: file is larger than {MAX_FILE_BYTES} bytes")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise RulesError(f"{name}: not valid YAML (nested too deeply)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise RulesError(f"{name}{line}: not valid YAML ({problem})") from None
    if node is None:
        raise RulesError(f"{name}: the file is empty")
    raw = reader.value(node, ())
    check_keys(reader, raw, _TOP_KEYS, ())
    for required in ("lexicons", "furniture", "quotes", "scoring", *DIMENSIONS):
        if required not in raw:
            raise reader.fail((), f"missing section '{required}'")

    lexicons = {}
    for lex_name, phrases in raw["lexicons"].items():
        where = ("lexicons", lex_name)
        if not isinstance(phrases, list) or not phrases:
            raise reader.fail(where, "a lexicon must be a non-empty list of phrases")
        lexicons[lex_name] = string_list(reader, phrases, where)

    rules, seen_ids, priors, votes = [], {}, {}, {}
    for dimension in DIMENSIONS:
        section = raw[dimension]
        check_keys(reader, section, _DIMENSION_KEYS, (dimension,))
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
                index = [r.id for r in rules if r.dimension == rule.dimension].index(rule.id)
                raise reader.fail((rule.dimension, "rules", index, "cancels"),
                                  f"unknown rule '{target}'", rule.id)

    furniture = raw["furniture"]
    check_keys(reader, furniture, _FURNITURE_KEYS, ("furniture",))
    for key in ("heading_max_words", "final_punctuation", "max_sentence_chars"):
        if key not in furniture:
            raise reader.fail(("furniture",), f"missing '{key}'")
    for key, least in (("max_sentence_chars", 1), ("heading_max_words", 0)):
        if furniture.get(key, least) < least:
            raise reader.fail(("furniture", key), f"must be at least {least}")
    metadata = string_list(reader, furniture.get("metadata", []), ("furniture", "metadata"))
    for i, pattern in enumerate(metadata):
        compile_check(reader, pattern, ("furniture", "metadata", i))
    quotes = raw["quotes"]
    check_keys(reader, quotes, _QUOTE_KEYS, ("quotes",))
    compile_check(reader, quotes.get("pattern", ""), ("quotes", "pattern"))

    scoring = raw["scoring"]
    check_keys(reader, scoring, _SCORING_KEYS, ("scoring",))
    scoring_rules = _read_scoring(reader, scoring, lexicons)
    flags = []
    for i, raw_flag in enumerate(scoring.get("flags", [])):
        where = ("scoring", "flags", i)
        check_keys(reader, raw_flag, _FLAG_KEYS, where, raw_flag.get("id") if
                    isinstance(raw_flag, dict) else None)
        for key in ("id", "metric", "message"):
            if key not in raw_flag:
                raise reader.fail(where, f"missing '{key}'")
        if raw_flag["metric"] not in FLAG_METRICS:
            raise reader.fail(where + ("metric",), "unknown metric (known: "
                              f"{', '.join(FLAG_METRICS)})", raw_flag["id"])
        if ("above" in raw_flag) == ("at_least" in raw_flag):
            raise reader.fail(where, "give exactly one of 'above' and 'at_least'", raw_flag["id"])
        flags.append(Flagging(id=raw_flag["id"], metric=raw_flag["metric"],
                              message=raw_flag["message"], above=raw_flag.get("above"),
                              at_least=raw_flag.get("at_least")))
    return Rulebook(
        path=name, lexicons=lexicons, rules=tuple(rules), priors=priors, votes=votes,
        metadata_patterns=metadata, heading_max_words=furniture["heading_max_words"],
        final_punctuation=furniture["final_punctuation"],
        closing_marks=furniture.get("closing_marks", ""),
        max_sentence_chars=furniture["max_sentence_chars"],
        quote_pattern=quotes.get("pattern", ""), scoring=scoring_rules, flags=tuple(flags),
        spin=_read_spin(reader, raw["spin"], lexicons) if "spin" in raw else None,
        check_next=_read_check_next(reader, raw["check_next"]) if "check_next" in raw else None,
    )


def _read_spin(reader: YamlReader, raw, lexicons: dict) -> SpinRules:
    """The `spin` section; every phrase a non-empty string, every pattern safe, with its
    lexicons written out as the rules' are."""
    where = ("spin",)
    check_keys(reader, raw, _SPIN_KEYS, where)
    substitutions = []
    for i, entry in enumerate(raw.get("substitutions", [])):
        at = where + ("substitutions", i)
        check_keys(reader, entry, _SUBSTITUTION_KEYS, at)
        for key in ("spun", "original"):
            string_list(reader, [entry.get(key)], at + (key,))
        substitutions.append(Substitution(entry["spun"], entry["original"],
                                          number(reader, entry, "weight", at, 0, 10, 1.0)))
    patterns, seen = [], set()
    for i, entry in enumerate(raw.get("patterns", [])):
        at = where + ("patterns", i)
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        check_keys(reader, entry, _SPIN_PATTERN_KEYS, at, rule_id)
        for key in ("id", "pattern", "original", "description"):
            if key not in entry:
                raise reader.fail(at, f"missing '{key}'", rule_id)
        if rule_id in seen:
            raise reader.fail(at + ("id",), "duplicate id", rule_id)
        seen.add(rule_id)
        pattern = _expanded_pattern(reader, entry["pattern"], lexicons, at + ("pattern",), rule_id)
        examples = entry.get("examples", {})
        check_keys(reader, examples, _EXAMPLE_KEYS, at + ("examples",), rule_id)
        patterns.append(SpinPattern(
            rule_id, pattern, entry["original"],
            number(reader, entry, "weight", at, 0, 10, 1.0, rule_id), entry["description"],
            string_list(reader, examples.get("match", []), at + ("examples", "match"), rule_id),
            string_list(reader, examples.get("no_match", []), at + ("examples", "no_match"),
                         rule_id),
            string_list(reader, entry.get("anchor", []), at + ("anchor",), rule_id)))
    choice = raw.get("word_choice", {})
    at = where + ("word_choice",)
    check_keys(reader, choice, _WORD_CHOICE_KEYS, at)
    pairs = []
    for i, pair in enumerate(choice.get("pairs", [])):
        if not isinstance(pair, list) or len(pair) != 2:
            raise reader.fail(at + ("pairs", i), "must be a pair [plain word, spinner's synonym]")
        pairs.append(string_list(reader, pair, at + ("pairs", i)))
    low = number(reader, choice, "low", at, 0, 1)
    high = number(reader, choice, "high", at, 0, 1)
    if high <= low:
        raise reader.fail(at + ("high",), "must be above 'low'")
    return SpinRules(
        flag_at=number(reader, raw, "flag_at", where, 0, 1),
        substitution_scale=number(reader, raw, "substitution_scale", where, 0.01, 100),
        substitutions=tuple(substitutions), patterns=tuple(patterns), pairs=tuple(pairs),
        prior_share=number(reader, choice, "prior_share", at, 0, 1),
        prior_weight=number(reader, choice, "prior_weight", at, 0, 1000), low=low, high=high)


def _read_check_next(reader: YamlReader, raw) -> CheckNextRules:
    """The `check_next` section; every reason code present, with its words and weight."""
    where = ("check_next",)
    if isinstance(raw, dict) and "determiners" in raw:
        # Rules files written before the ledger and check-next shared one grouping of sources.
        raise reader.fail(where + ("determiners",),
                          "moved: one list for the ledger and check-next, 'scoring.determiners'")
    check_keys(reader, raw, _CHECK_NEXT_KEYS, where)
    reasons_raw = raw.get("reasons", {})
    check_keys(reader, reasons_raw, dict.fromkeys(CHECK_REASONS, dict), where + ("reasons",))
    reasons = {}
    for code in CHECK_REASONS:
        at = where + ("reasons", code)
        if code not in reasons_raw:
            raise reader.fail(where + ("reasons",), f"missing reason '{code}'")
        check_keys(reader, reasons_raw[code], _REASON_KEYS, at)
        text = string_list(reader, [reasons_raw[code].get("text")], at + ("text",))[0]
        reasons[code] = (text, number(reader, reasons_raw[code], "weight", at, 0, 100))
    return CheckNextRules(
        max_claims=int(number(reader, raw, "max_claims", where, 0, 20)),
        lead_max_sentences=int(number(reader, raw, "lead_max_sentences", where, 1, 20)),
        reasons=reasons)


def _lexicon_name(reader: YamlReader, scoring: dict, key: str, lexicons: dict) -> str:
    """The lexicon a `scoring` key names ("@name"), refused when there is no such lexicon."""
    name = scoring[key]
    if not name.startswith("@"):
        raise reader.fail(("scoring", key), f"'{name}' is not a lexicon reference ('@name')")
    _check_lexicon(reader, name[1:], lexicons, ("scoring", key))
    return name[1:]


def _check_lexicon(reader: YamlReader, name: str, lexicons: dict, where: tuple,
                   rule_id: str | None = None) -> None:
    """Every reference to a lexicon (``@name`` in a list, ``{@name}`` in a pattern, a scoring
    key) is refused the same way when no lexicon has that name."""
    if name not in lexicons:
        raise reader.fail(where, f"unknown lexicon '@{name}'", rule_id)


def _read_scoring(reader: YamlReader, scoring: dict, lexicons: dict) -> ScoringRules:
    """The `scoring` section except its flags: known names only, each number in its range, every
    key and every label's value given."""
    labels = {"source_quality": [x for x in LABELS["source"] if x != "none"],
              "verification_penalty": list(LABELS["verification"]),
              "components": list(SCORE_COMPONENTS), "bands": ["strong", "mixed"]}
    ranges = {"source_quality": (0, 1), "verification_penalty": (0, 1), "components": (0, 100),
              "bands": (0, 100)}
    fusion = scoring.get("fusion", {})
    check_keys(reader, fusion, {"rule_weight": dict, "paraphrased_rule_weight": dict},
               ("scoring", "fusion"))
    sections = [(("scoring", key), scoring.get(key, {}), labels[key], ranges[key]) for key in labels]
    sections.append((("scoring", "fusion", "rule_weight"), fusion.get("rule_weight", {}),
                     list(DIMENSIONS), (0, 1)))
    if "paraphrased_rule_weight" in fusion:
        sections.append((("scoring", "fusion", "paraphrased_rule_weight"),
                         fusion["paraphrased_rule_weight"], list(DIMENSIONS), (0, 1)))
    for where, values, names, (low, high) in sections:
        check_keys(reader, values, dict.fromkeys(names, _NUMBER), where)
        for key in values:
            number(reader, values, key, where, low, high)
    for key in _SCORING_REQUIRED:
        if key not in scoring:
            raise reader.fail(("scoring",), f"missing '{key}'")
    if "rule_weight" not in fusion:
        raise reader.fail(("scoring", "fusion"), "missing 'rule_weight'")
    # The score weighs only the components the file names; every other map needs every name.
    for where, values, names, _ in sections:
        if where[-1] == "components":
            continue
        for key in names:
            if key not in values:
                raise reader.fail(where, f"missing '{key}'")
    numbers = {where[-1]: {key: float(value) for key, value in values.items()}
               for where, values, _, _ in sections}
    if numbers["bands"]["strong"] <= numbers["bands"]["mixed"]:
        raise reader.fail(("scoring", "bands", "strong"), "must be above 'mixed'")
    return ScoringRules(
        components=numbers["components"], source_quality=numbers["source_quality"],
        verification_penalty=numbers["verification_penalty"], bands=numbers["bands"],
        rule_weight=numbers["rule_weight"],
        paraphrased_rule_weight=numbers.get("paraphrased_rule_weight", numbers["rule_weight"]),
        document_words=phrase_regex(
            lexicons[_lexicon_name(reader, scoring, "unverified_document_lexicon", lexicons)]),
        words=SourceWords(*(frozenset(w.lower() for w in string_list(reader, scoring[key], ("scoring", key)))
                            for key in SourceWords._fields)))
