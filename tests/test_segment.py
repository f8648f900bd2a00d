import itertools
import random
import re

from pipeline.records import HEADING, METADATA, SENTENCE
from pipeline.segment import paragraph_break
from tests.conftest import EXAMPLES


def test_offsets_rebuild_each_sentence(rules_pipeline):
    text = "First line here.\n\nSecond one. Third one!\nA heading line\n"
    for sentence in rules_pipeline.segmenter.segment(text):
        assert text[sentence.start:sentence.end] == sentence.text


def test_a_line_break_ends_a_paragraph(rules_pipeline):
    text = "The port closed. It reopened later.\nCrews worked all night.\n\nTrade resumed."
    first, second, third, fourth = rules_pipeline.segmenter.segment(text)
    assert not paragraph_break(text, first, second)
    assert paragraph_break(text, second, third) and paragraph_break(text, third, fourth)


def test_news_abbreviations_do_not_split(rules_pipeline):
    text = ("Gen. Mark Hale met Sen. Ruth Ames in the U.S. capital on Jan. 4 at 3 p.m. to discuss "
            "the budget. Mr. Hale left early.")
    sentences = rules_pipeline.segmenter.segment(text)
    assert [s.text for s in sentences] == [
        "Gen. Mark Hale met Sen. Ruth Ames in the U.S. capital on Jan. 4 at 3 p.m. to discuss "
        "the budget.", "Mr. Hale left early."]


def test_page_furniture_is_recognised(rules_pipeline):
    text = ("Storm closes ports along the coast\nBy Ana Lee and Tom Park\n"
            "The storm closed four ports on Tuesday, officials said.\n"
            "Read more: how ports prepare for storms\nSource: www.example.com\n")
    kinds = [(s.kind, s.text[:10]) for s in rules_pipeline.segmenter.segment(text)]
    assert [k for k, _ in kinds] == [HEADING, METADATA, SENTENCE, METADATA, METADATA]


def test_run_on_text_is_capped(rules_pipeline):
    text = "word " * 5000
    sentences = rules_pipeline.segmenter.segment(text)
    limit = rules_pipeline.rulebook.max_sentence_chars
    assert len(sentences) > 1 and all(len(s.text) <= limit for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_nltk_stays_importable_after_punkt_is_loaded():
    import subprocess
    import sys

    code = ("from pipeline.scorer import Pipeline; Pipeline(scorer='rules'); "
            "import nltk; from nltk.tokenize.punkt import PunktSentenceTokenizer; "
            "print(len(PunktSentenceTokenizer().tokenize('One. Two.')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


def test_lines_of_one_sentence_skip_punkt_and_split_the_same(rules_pipeline):
    """The short cut for a line whose only end mark ends it gives Punkt's sentences exactly,
    on our examples and on lines built to sit at its edge (two marks, closing quotes and
    brackets, marks followed by more text)."""
    segmenter = rules_pipeline.segmenter
    starts = ["He left", "“The U.S", "said Dr", "  Mr", "(see p", "No. 5 in line", "\tGen"]
    ends = ["", ".", "?", "!", "?!", "!!", "...", ". ..", ".\"", ".”", "?’", ".)", "!\"", ".'",
            ".]", ".»", "”", " .", ". \"", ". ”", ".\" ", ". )", ".)\"", ".’”", "”.", ".--"]
    lines = [f"{lead}{start}{end}{tail}" for start, end in itertools.product(starts, ends)
             for lead in ("", "Abc def. ") for tail in ("", " x", "  ")]
    generator = random.Random(7)
    pieces = ["a", " ", ".", "?", "!", "\"", "”", "’", ")", "]", "Mr", "U.S", "--", "«", "»", "1.5"]
    lines += ["".join(generator.choice(pieces) for _ in range(generator.randint(1, 16)))
              for _ in range(3000)]
    lines += [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    one_sentence = segmenter._one_sentence
    try:
        fast = [segmenter.segment(line) for line in lines]
        segmenter._one_sentence = re.compile("(?!)")  # matches nothing: Punkt for every line
        assert [segmenter.segment(line) for line in lines] == fast
    finally:
        segmenter._one_sentence = one_sentence


def test_a_rulebook_without_closing_marks_still_segments(rules_pipeline):
    # closing_marks is optional in rules.yaml; the one-sentence test must not build "[]*" from it.
    import dataclasses

    from pipeline.segment import Segmenter

    rulebook = dataclasses.replace(rules_pipeline.rulebook, closing_marks="")
    segmenter = Segmenter(rulebook, rules_pipeline.segmenter._punkt)
    texts = [s.text for s in segmenter.segment('He left. "Why?" she asked.\nIt rained.”\n')]
    assert texts == [s.text for s in rules_pipeline.segmenter.segment(
        'He left. "Why?" she asked.\nIt rained.”\n')]
