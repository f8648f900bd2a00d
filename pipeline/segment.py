"""Splits an article into sentences, headings and page furniture, keeping character offsets."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import types
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelError
from .records import HEADING, METADATA, SENTENCE, Sentence
from .rulebook import Rulebook

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

PUNKT_SCHEMA = "credscore.punkt/1"


@cache
def _punkt_module():
    """NLTK's Punkt module, imported without running ``nltk/__init__``.

    That package initialiser imports scipy.stats, scikit-learn and most of NLTK (about a
    second), none of which Punkt needs; `credscore report` must answer well within 1.5 s. The
    packages are stood in for while Punkt's modules load, then every nltk module is dropped from
    sys.modules again, so a later ``import nltk`` anywhere in the process loads NLTK whole.
    """
    if "nltk" in sys.modules:
        from nltk.tokenize import punkt

        return punkt
    # nltk.tokenize's initialiser too imports most tokenizers and nltk.data (a tenth of a
    # second); Punkt needs neither.
    for package in ("nltk", "nltk.tokenize"):
        spec = importlib.util.find_spec(package)
        stand_in = types.ModuleType(package)
        stand_in.__path__ = list(spec.submodule_search_locations)
        stand_in.__spec__ = spec
        sys.modules[package] = stand_in
    try:
        from nltk.tokenize import punkt
    finally:
        for name in [n for n in sys.modules if n == "nltk" or n.startswith("nltk.")]:
            del sys.modules[name]
    return punkt


_LINE = re.compile(r"[^\n]+")


def load_punkt(path: Path) -> PunktSentenceTokenizer:
    """A Punkt tokenizer from the shipped parameters (no nltk.download needed)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: cannot read Punkt parameters ({error.__class__.__name__})") \
            from None
    if not isinstance(raw, dict) or raw.get("schema") != PUNKT_SCHEMA or \
            not isinstance(raw.get("abbreviations"), list):
        raise ModelError(f"{path}: not a {PUNKT_SCHEMA} file (key 'schema' or 'abbreviations')")
    punkt = _punkt_module()
    params = punkt.PunktParameters()
    params.abbrev_types = {str(a).lower() for a in raw["abbreviations"]}
    params.collocations = {tuple(pair) for pair in raw.get("collocations", [])}
    params.sent_starters = {str(s) for s in raw.get("sentence_starters", [])}
    return punkt.PunktSentenceTokenizer(params, lang_vars=punkt.PunktLanguageVars())


class Segmenter:
    """Lines that are page furniture stay whole; other lines are split by Punkt."""

    def __init__(self, rulebook: Rulebook, punkt: PunktSentenceTokenizer):
        self._punkt = punkt
        # One alternation instead of one search per pattern.
        self._metadata = re.compile("|".join(f"(?:{p})" for p in rulebook.metadata_patterns)) \
            if rulebook.metadata_patterns else None
        self._heading_max_words = rulebook.heading_max_words
        self._final = set(rulebook.final_punctuation)
        self._closing = rulebook.closing_marks
        self._max_chars = rulebook.max_sentence_chars
        # Punkt breaks only after a sentence-end mark followed by more text: a line whose only
        # marks end it (with closing quotes or brackets after them) is one sentence, and most
        # lines of news are. Punkt is skipped for them (tests/test_segment.py holds the two
        # equal). The end marks are Punkt's defaults, which load_punkt passes it explicitly.
        ends = re.escape("".join(_punkt_module().PunktLanguageVars.sent_end_chars))
        closing = f"[{re.escape(rulebook.closing_marks)}]*" if rulebook.closing_marks else ""
        self._one_sentence = re.compile(f"[^{ends}]*(?:[{ends}]{closing})?\\s*")

    def line_kind(self, line: str) -> str:
        if self._metadata is not None and self._metadata.search(line):
            return METADATA
        bare = line.rstrip().rstrip(self._closing)
        if bare and bare[-1] not in self._final and len(line.split()) <= self._heading_max_words:
            return HEADING
        return SENTENCE

    def segment(self, text: str) -> list[Sentence]:
        """Sentences in text order; ``text[s.start:s.end] == s.text`` for each."""
        sentences: list[Sentence] = []
        for line_match in _LINE.finditer(text):
            line = line_match.group()
            if not line.strip():
                continue
            offset = line_match.start()
            kind = self.line_kind(line)
            if kind != SENTENCE:
                start, end = _strip_span(line, 0, len(line))
                sentences.append(Sentence(len(sentences), offset + start, offset + end,
                                          line[start:end], kind))
                continue
            spans = (_strip_span(line, 0, len(line)),) if self._one_sentence.fullmatch(line) \
                else self._punkt.span_tokenize(line)
            for start, end in spans:
                # Nearly every span is short and trimmed already: no generator, no loop.
                pieces = ((start, end),) if end - start <= self._max_chars \
                    else self._cap(line, start, end)
                for piece_start, piece_end in pieces:
                    if piece_end > piece_start and (line[piece_start].isspace() or
                                                    line[piece_end - 1].isspace()):
                        piece_start, piece_end = _strip_span(line, piece_start, piece_end)
                    if piece_end > piece_start:
                        sentences.append(Sentence(len(sentences), offset + piece_start,
                                                  offset + piece_end,
                                                  line[piece_start:piece_end], SENTENCE))
        return sentences

    def _cap(self, line: str, start: int, end: int):
        """Splits a run-on span at whitespace so that no sentence exceeds the length cap."""
        while end - start > self._max_chars:
            cut = line.rfind(" ", start + self._max_chars // 2, start + self._max_chars)
            cut = cut if cut > start else start + self._max_chars
            yield start, cut
            start = cut
        yield start, end


def paragraph_break(text: str, before: Sentence, after: Sentence) -> bool:
    """Whether a paragraph ends between two sentences of ``text``: a paragraph ends at a line
    break, as the segmenter's lines do."""
    return "\n" in text[before.end:after.start]


def _strip_span(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end
