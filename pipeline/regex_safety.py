"""Refuses regular expressions whose shape can backtrack catastrophically."""

from __future__ import annotations

try:  # Python 3.11 moved the parser; both names expose parse().
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

MAX_BOUNDED_OUTER_REPEAT = 8
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _unbounded(op_name: str, args) -> bool:
    return op_name in _REPEATS and args[1] == sre_parse.MAXREPEAT


def _can_repeat_inside(items) -> bool:
    """True when a subpattern holds a quantifier that can match more than once."""
    for op, args in items:
        name = str(op)
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
    elif name == "BRANCH":
        yield from args[1]
    elif name in ("ASSERT", "ASSERT_NOT"):
        yield args[1]


def _branches_overlap(branches) -> bool:
    """Alternatives that can start with the same text make a repeated group ambiguous."""
    firsts = []
    for branch in branches:
        if not branch:
            return True
        op, args = branch[0]
        firsts.append((str(op), repr(args)))
    return len(set(firsts)) < len(firsts) or any(op in ("IN", "ANY", "CATEGORY") for op, _ in
                                                    firsts) and len(firsts) > 1


def _walk(items) -> str | None:
    for op, args in items:
        name = str(op)
        if name in _REPEATS and (args[1] > 1 or args[1] == sre_parse.MAXREPEAT):
            body = args[2]
            # A small bounded outer count keeps the work polynomial in a sentence (and
            # sentences are capped in length); an open or large one can grow exponentially.
            if _can_repeat_inside(body) and args[1] > MAX_BOUNDED_OUTER_REPEAT:
                return "nested quantifiers (a repeated group that itself repeats)"
            for inner_op, inner_args in body:
                if str(inner_op) == "SUBPATTERN":
                    inner = inner_args[-1]
                    if len(inner) == 1 and str(inner[0][0]) == "BRANCH" and \
                            _unbounded(name, args) and _branches_overlap(inner[0][1][1]):
                        return "a repeated alternation whose branches overlap"
        for child in _children(name, args):
            reason = _walk(child)
            if reason:
                return reason
    return None


def unsafe_reason(pattern: str) -> str | None:
    """Why a pattern is refused, or None when its shape is safe to run on any text."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception as error:  # the caller has compiled it already; keep one line anyway
        return f"cannot analyse ({error})"
    return _walk(list(parsed))
