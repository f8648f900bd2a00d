"""Every rule in rules.yaml carries sentences that must fire it and sentences that must not."""

import pytest

from pipeline.matcher import Matcher
from pipeline.rulebook import load_rulebook

RULEBOOK = load_rulebook()
MATCHER = Matcher(RULEBOOK)


def fired_ids(text: str, rule) -> set[str]:
    if rule.is_exception:
        # An exception leaves no cue of its own: check it removes a cue the plain engine keeps.
        return {rule.id} if _exception_fires(text, rule) else set()
    return {cue.rule_id for cue in MATCHER.evidence(text).cues}


def _exception_fires(text: str, rule) -> bool:
    import dataclasses

    without = dataclasses.replace(RULEBOOK, rules=tuple(r for r in RULEBOOK.rules if r.id != rule.id))
    kept = {c.rule_id for c in Matcher(without).evidence(text).cues}
    now = {c.rule_id for c in MATCHER.evidence(text).cues}
    return bool(set(rule.cancels) & (kept - now))


CASES = [(rule, text, True) for rule in RULEBOOK.rules for text in rule.examples_match] + \
        [(rule, text, False) for rule in RULEBOOK.rules for text in rule.examples_no_match]


def test_every_rule_carries_examples():
    # An exception's no_match side is the plain rule it cancels; the others carry both sides.
    assert all(rule.examples_match for rule in RULEBOOK.rules)
    assert all(rule.examples_no_match for rule in RULEBOOK.rules if not rule.is_exception)


@pytest.mark.parametrize("rule,text,should_fire", CASES,
                         ids=[f"{r.id}:{'+' if f else '-'}{i}" for i, (r, _, f) in enumerate(CASES)])
def test_rule_example(rule, text, should_fire):
    assert (rule.id in fired_ids(text, rule)) is should_fire
