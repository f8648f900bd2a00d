"""Refuses regular expressions whose shape can backtrack catastrophically.

Python's ``re`` backtracks, so a pattern that can match the same text in many ways costs
exponential (or high polynomial) time on a long sentence that almost matches. Four shapes are
refused when rules load, before any text is scanned:

- nested quantifiers: a repeated group that itself repeats (``(a+)+``, ``(\\w+\\s?)*``), unless
  the outer count is small and one repetition cannot run into the next;
- a repeated group that can match the empty string (``(a?)*``, ``(.*)*``);
- a repeated alternation whose branches overlap (``(a|a)*``, ``(a|ab)*``) or a repeated group
  whose end can also be its start (``(a\\w?)*``), so the repetitions split text in many ways;
- overlapping adjacent open-ended quantifiers (``\\w+\\w+x``, ``\\d+\\s*\\d+x``): cubic in a
  2,000-character window.

Whether two character classes can match the same character is decided on probe characters:
every literal and range end of the pattern plus representatives of the common categories.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python 3.11 moved the parser; both names expose parse().
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

MAX_BOUNDED_OUTER_REPEAT = 8
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}
_SINGLE_CHAR = {"LITERAL", "NOT_LITERAL", "ANY", "IN"}
_ANY = ("ANY", None)
# Representatives of the classes users write: ASCII, accented and non-Latin letters, digits of
# other scripts, Unicode spaces and line breaks, typographic quotes and an emoji.
_FIXED_PROBES = "".join(chr(c) for c in range(128)) + "éßÆЖж中あ٣۵\u00a0\u2003\u2028’“”«😀_"
_CATEGORIES = {name: re.compile(regex) for name, regex in {
    "DIGIT": r"\d", "NOT_DIGIT": r"\D", "SPACE": r"\s", "NOT_SPACE": r"\S", "WORD": r"\w",
    "NOT_WORD": r"\W", "LINEBREAK": r"\n", "NOT_LINEBREAK": r"[^\n]"}.items()}


def unsafe_reason(pattern: str) -> str | None:
    """Why a pattern is refused, or None when its shape is safe to run on any text."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception as error:  # the caller has compiled it already; keep one line anyway
        return f"cannot analyse ({error})"
    return _Analysis(parsed).reason()


def _name(op) -> str:
    return str(op)


def _category(name: str) -> re.Pattern:
    for prefix in ("CATEGORY_UNI_", "CATEGORY_LOC_", "CATEGORY_"):
        if name.startswith(prefix):
            return _CATEGORIES[name.removeprefix(prefix)]
    raise KeyError(name)


def _member_matches(member, char: str, fold: bool) -> bool:
    """One element of a [...] class; ``fold`` widens literals to both cases."""
    op, args = _name(member[0]), member[1]
    if op == "LITERAL":
        return char == chr(args) or fold and char.lower() == chr(args).lower()
    if op == "RANGE":
        lo, hi = args
        return lo <= ord(char) <= hi or fold and (lo <= ord(char.lower()) <= hi or
                                                  lo <= ord(char.upper()[0]) <= hi)
    if op == "CATEGORY":
        return bool(_category(_name(args)).fullmatch(char))
    return True  # an element we do not model: assume it matches (refuse rather than miss)


def _atom_matches(atom, char: str) -> bool:
    """Whether a one-character item can match char, erring towards yes."""
    op, args = _name(atom[0]), atom[1]
    if op == "ANY":
        return True
    if op == "LITERAL":
        return _member_matches(atom, char, fold=True)
    if op == "NOT_LITERAL":
        return char != chr(args)
    if op == "IN":
        if args and _name(args[0][0]) == "NEGATE":
            return not any(_member_matches(m, char, fold=False) for m in args[1:])
        return any(_member_matches(m, char, fold=True) for m in args)
    return True


class _Analysis:
    """Walks one parsed pattern; ``reason()`` is the first unsafe shape found, or None."""

    def __init__(self, parsed):
        chars = set(_FIXED_PROBES)
        self._collect_probes(list(parsed), chars)
        self.probes = "".join(sorted(chars))
        self.parsed = parsed

    def _collect_probes(self, items, chars: set) -> None:
        for op, args in items:
            name = _name(op)
            if name in ("LITERAL", "NOT_LITERAL"):
                chars.update((chr(args), chr(args).lower(), chr(args).upper()[0]))
            elif name == "IN":
                for member in args:
                    if _name(member[0]) == "LITERAL":
                        chars.update((chr(member[1]), chr(member[1]).lower()))
                    elif _name(member[0]) == "RANGE":
                        chars.update(chr(v) for v in member[1])
            for child in _children(name, args):
                self._collect_probes(child, chars)

    def reason(self) -> str | None:
        return self._check(self.parsed)

    def overlap(self, left: tuple, right: tuple) -> bool:
        """Can some character be matched by one of left's atoms and one of right's?"""
        if not left or not right:
            return False
        return _overlap(left, right, self.probes)

    # -- the checks ------------------------------------------------------------------------
    def _check(self, items) -> str | None:
        reason = self._adjacent_quantifiers(_flatten(items))
        if reason:
            return reason
        for op, args in items:
            name = _name(op)
            if name in _REPEATS and (args[1] > 1 or args[1] == sre_parse.MAXREPEAT):
                reason = self._repeat(args)
                if reason:
                    return reason
            for child in _children(name, args):
                reason = self._check(child)
                if reason:
                    return reason
        return None

    def _repeat(self, args) -> str | None:
        low, high, body = args
        large = high == sre_parse.MAXREPEAT or high > MAX_BOUNDED_OUTER_REPEAT
        first, nullable = _first(list(body))
        last, _ = _first(list(reversed(list(body))), reverse=True)
        if nullable:
            return "nested quantifiers (a repeated group that can match the empty string)"
        turns_over = self.overlap(last, first)
        if _can_repeat_inside(body):
            # A small bounded outer count keeps the work polynomial in a sentence (and
            # sentences are capped in length) only if one repetition cannot run into the next.
            if large:
                return "nested quantifiers (a repeated group that itself repeats)"
            if turns_over:
                return "nested quantifiers (a repeated group whose repetitions can run into each other)"
        if not large:
            return None
        if self._overlapping_branch(list(body)):
            return "a repeated alternation whose branches overlap"
        width_low, width_high = body.getwidth() if hasattr(body, "getwidth") else (0, 1 << 30)
        if width_low != width_high and turns_over:
            return "a repeated group whose end can also start it (repetitions split text many ways)"
        return None

    def _overlapping_branch(self, items) -> bool:
        for op, args in items:
            name = _name(op)
            if name == "BRANCH":
                starts = [_first(list(alt)) for alt in args[1]]
                if sum(1 for _, nullable in starts if nullable) > 1 or \
                        (any(n for _, n in starts) and len(starts) > 1):
                    return True
                for i, (left, _) in enumerate(starts):
                    if any(self.overlap(left, right) for right, _ in starts[i + 1:]):
                        return True
            for child in _children(name, args):
                if self._overlapping_branch(list(child)):
                    return True
        return False

    def _adjacent_quantifiers(self, flat) -> str | None:
        """An open-ended one-character repeat followed by another open-ended repeat that can take
        its text: each split point is tried, O(n²) per start. A bounded count caps that work."""
        for i, (op, args) in enumerate(flat):
            if not _large_single_char_repeat(op, args):
                continue
            held = tuple(args[2])
            for next_op, next_args in flat[i + 1:]:
                name = _name(next_op)
                if name in _ZERO_WIDTH:
                    continue
                if name in _REPEATS and next_args[1] == sre_parse.MAXREPEAT:
                    if self.overlap(held, _first(list(next_args[2]))[0]):
                        return "overlapping adjacent quantifiers (both can match the same text)"
                first, nullable = _first([(next_op, next_args)])
                absorbed = name in _SINGLE_CHAR and self.overlap(held, first)
                if not (nullable or absorbed):
                    break
        return None


@lru_cache(maxsize=8192)
def _atom_probes(atom, probes: str) -> frozenset:
    return frozenset(c for c in probes if _atom_matches(atom, c))


def _overlap(left: tuple, right: tuple, probes: str) -> bool:
    try:
        chars = frozenset().union(*(_atom_probes(a, probes) for a in _freeze(left)))
        return any(not chars.isdisjoint(_atom_probes(b, probes)) for b in _freeze(right))
    except TypeError:  # an unhashable shape we do not model: assume the worst
        return True


def _freeze(atoms) -> tuple:
    return tuple((op, tuple(args) if isinstance(args, list) else args) for op, args in atoms)


def _large_single_char_repeat(op, args) -> bool:
    if _name(op) not in _REPEATS:
        return False
    body = list(args[2])
    return args[1] == sre_parse.MAXREPEAT and len(body) == 1 and _name(body[0][0]) in _SINGLE_CHAR


def _flatten(items) -> list:
    """The sequence with plain (unrepeated) groups opened, so adjacency crosses group edges."""
    flat = []
    for op, args in items:
        if _name(op) == "SUBPATTERN":
            flat.extend(_flatten(list(args[-1])))
        else:
            flat.append((op, args))
    return flat


def _first(items, reverse: bool = False) -> tuple[tuple, bool]:
    """(one-character atoms that can start the sequence, whether it can match nothing).

    With reverse=True the items come last-first and the atoms are those that can end it.
    """
    atoms: list = []
    for op, args in items:
        item_atoms, nullable = _item_first(op, args, reverse)
        atoms.extend(item_atoms)
        if not nullable:
            return tuple(atoms), False
    return tuple(atoms), True


def _item_first(op, args, reverse: bool) -> tuple[tuple, bool]:
    name = _name(op)
    order = (lambda seq: list(reversed(list(seq)))) if reverse else list
    if name in _SINGLE_CHAR:
        return ((op, args),), False
    if name in _ZERO_WIDTH:
        return (), True
    if name == "SUBPATTERN":
        return _first(order(args[-1]), reverse)
    if name == "ATOMIC_GROUP":
        return _first(order(args), reverse)
    if name == "BRANCH":
        atoms, nullable = [], False
        for alternative in args[1]:
            alt_atoms, alt_nullable = _first(order(alternative), reverse)
            atoms.extend(alt_atoms)
            nullable = nullable or alt_nullable
        return tuple(atoms), nullable
    if name in _REPEATS:
        if args[1] == 0:
            return (), True
        atoms, nullable = _first(order(args[2]), reverse)
        return atoms, nullable or args[0] == 0
    return (_ANY,), True  # back-references and the like: assume anything, possibly nothing


def _can_repeat_inside(items) -> bool:
    """True when a subpattern holds a quantifier that can match more than once."""
    for op, args in items:
        name = _name(op)
        if name in _REPEATS and (args[1] > 1 or args[1] == sre_parse.MAXREPEAT):
            return True
        for child in _children(name, args):
            if _can_repeat_inside(child):
                return True
    return False


def _children(name: str, args):
    if name in _REPEATS:
        yield args[2]
    elif name == "SUBPATTERN":
        yield args[-1]
    elif name == "ATOMIC_GROUP":
        yield args
    elif name == "BRANCH":
        yield from args[1]
    elif name in ("ASSERT", "ASSERT_NOT"):
        yield args[1]
    elif name == "GROUPREF_EXISTS":
        yield from (branch for branch in args[1:] if branch is not None)
