"""Lexicon references in patterns: "{@name}" becomes one prefix-tree regex of its phrases."""

from __future__ import annotations

import re


def expand_lexicons(pattern: str, lexicons: dict[str, tuple[str, ...]]) -> str:
    """Replace each ``{@name}`` with a case-insensitive alternation of the lexicon's phrases.

    The alternation is written as a prefix tree ("sa(?:id|ys)" rather than "said|says"): the
    regex engine then tries each character once instead of once per phrase.
    """

    def alternation(match: re.Match) -> str:
        phrases = {normalise_phrase(p) for p in lexicons[match.group(1)]}
        return "(?i:" + trie_regex(sorted(phrases)) + ")"

    return re.sub(r"\{@(\w+)\}", alternation, pattern)


# Whole words: a phrase may not continue a word or a hyphenated compound ("5-yr").
WORD_BEFORE, WORD_AFTER = r"(?<![\w\-])", r"(?![\w\-])"


def normalise_phrase(phrase: str) -> str:
    """Lower case, single spaces, straight apostrophes."""
    return " ".join(phrase.replace("’", "'").lower().split())


def phrase_regex(phrases) -> re.Pattern:
    """One case-insensitive regex of whole phrases, written as a prefix tree (each character
    tried once, not once per phrase); the longest phrase wins ("final yr" over "yr"). Phrases
    are normalised (normalise_phrase): run it on text whose curly apostrophes are straight."""
    body = trie_regex(sorted({normalise_phrase(p) for p in phrases}))
    return re.compile(WORD_BEFORE + "(?i:" + body + ")" + WORD_AFTER)


def trie_regex(phrases: list[str]) -> str:
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(root: dict) -> str:
    """The trie as a regex, children before parents on an explicit stack: a phrase of any length
    (a damaged rules.yaml can run lines together into one) stays within Python's recursion limit."""
    emitted: dict[int, str] = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        chars = sorted(k for k in node if k)
        if not children_done:
            stack.append((node, True))
            stack.extend((node[char], False) for char in chars)
            continue
        # Text keeps its curly apostrophes ("report’s"); phrases are written straight.
        branches = [(r"\s+" if char == " " else "['’]" if char == "'" else re.escape(char))
                    + emitted.pop(id(node[char])) for char in chars]
        if not branches:
            emitted[id(node)] = ""
            continue
        # Longer continuations first, the bare end last: matches prefer the longest phrase.
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        emitted[id(node)] = f"(?:{body})?" if "" in node else body
    return emitted[id(root)]
