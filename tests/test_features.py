"""The vectorizer's fast lookups give exactly the columns that feature_names describes."""

from pipeline.features import Vectorizer, feature_names
from pipeline.records import SENTENCE
from tests.conftest import EXAMPLES


def test_transform_matches_feature_names(rules_pipeline):
    sentences = [s for path in sorted(EXAMPLES.glob("*.txt"))
                 for s in rules_pipeline.segmenter.segment(path.read_text(encoding="utf-8"))
                 if s.kind == SENTENCE]
    evidence = rules_pipeline.rule_scorer.evidence(sentences)
    names = sorted({n for s, e in zip(sentences, evidence) for n in feature_names(s.text, e)})
    # Keep every other name so that both known and unknown features occur.
    vocabulary = {name: i for i, name in enumerate(names[::2])}
    matrix = Vectorizer(vocabulary).transform(sentences, evidence)
    assert matrix.shape == (len(sentences), len(vocabulary))
    for row, (sentence, found) in enumerate(zip(sentences, evidence)):
        expected = sorted({vocabulary[n] for n in feature_names(sentence.text, found)
                           if n in vocabulary})
        assert matrix[row].indices.tolist() == expected
