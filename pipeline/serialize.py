"""ArticleReport → plain dicts and JSON: the credscore.report/1 schema.

A cue is written as {"rule", "text", "start", "end", "label"}: its description is the rule's,
found in rules.yaml by the rule id, and was left out of the JSON (it was about a tenth of the
batch output). report_json() writes the same bytes as json.dumps(report_to_dict()) faster.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring

from .records import (
    DIMENSIONS,
    LABEL_KEYS,
    LABELS,
    ArticleReport,
    DimensionScore,
    SentenceScore,
    SpinResult,
)

SCHEMA = "credscore.report/1"


def _dimension_dict(dim: str, value: DimensionScore, scored: SentenceScore) -> dict:
    result = {
        "label": value.label,
        "score": value.score,
        "rule_score": value.rule_score,
        "model_score": value.model_score,
        "probabilities": dict(zip(LABEL_KEYS[dim], value.probabilities)),
        "cues": [{"rule": c.rule_id, "text": c.text, "start": c.start, "end": c.end,
                  "label": c.label} for c in value.cues],
    }
    if dim == "source":
        result["who"] = [{"who": m.who, "type": m.type, "cue": m.cue, "start": m.start,
                          "end": m.end} for m in scored.evidence.sources
                         if m.type == value.label]
        result["quotes"] = [{"start": s, "end": e} for s, e in scored.evidence.quotes]
    return result


def sentence_dict(scored: SentenceScore, with_text: bool = True) -> dict:
    sentence = scored.sentence
    record = {"index": sentence.index, "start": sentence.start, "end": sentence.end,
              "kind": sentence.kind}
    if with_text:
        record["text"] = sentence.text
    if scored.scored:
        for dim in DIMENSIONS:
            record[dim] = _dimension_dict(dim, scored.dimension(dim), scored)
    return record


def spin_dict(spin: SpinResult, with_text: bool = True) -> dict:
    """The machine-paraphrase signal and its evidence (substitutes found, word-choice counts)."""
    choice = spin.word_choice
    return {
        "score": spin.score, "paraphrased": spin.paraphrased,
        "substitution_score": spin.substitution_score,
        "word_choice_score": spin.word_choice_score,
        "substitutions": [{"sentence": h.sentence, "start": h.start, "end": h.end,
                           **({"text": h.text} if with_text else {}), "original": h.original,
                           "rule": h.rule, "weight": h.weight} for h in spin.hits],
        "word_choice": {"plain": choice.plain, "spun": choice.spun, "share": choice.share,
                        "pairs": [{"plain": p, "spun": s, "plain_count": n_p, "spun_count": n_s}
                                  for p, s, n_p, n_s in choice.pairs]},
    }


def check_next_list(report: ArticleReport, with_text: bool = True) -> list[dict]:
    """The claims to check first, most important first, with their reasons."""
    by_index = {s.sentence.index: s.sentence for s in report.sentences}
    result = []
    for item in report.check_next:
        sentence = by_index[item.sentence]
        entry = {"index": sentence.index, "start": sentence.start, "end": sentence.end}
        if with_text:
            entry["text"] = sentence.text
        result.append({**entry, "codes": list(item.codes), "reason": item.reason})
    return result


def report_to_dict(report: ArticleReport, with_text: bool = True, sentences: bool = True) -> dict:
    """The report as plain dicts; ``sentences=False`` leaves out its last key, "sentences"."""
    article = report.article
    counts = {"sentences": len(report.scored_sentences),
              "headings": sum(1 for s in report.sentences if s.sentence.kind == "heading"),
              "metadata": sum(1 for s in report.sentences if s.sentence.kind == "metadata")}
    result = {
        "schema": SCHEMA,
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "published": article.published,
        "scorer": report.scorer,
        "score": report.score,
        "band": report.band,
        "components": dict(report.components),
        "counts": counts,
        "sources": [{"who": e.who, "type": e.type, "sentences": e.sentences}
                    for e in report.sources],
        "flags": [{"id": f.id, "message": f.message} for f in report.flags],
        "spin": spin_dict(report.spin, with_text),
        "check_next": check_next_list(report, with_text),
    }
    if sentences:
        result["sentences"] = [sentence_dict(s, with_text) for s in report.sentences]
    return result


def to_json(report: ArticleReport, with_text: bool = True, indent: int | None = None) -> str:
    if indent is None:
        return report_json(report, with_text)
    return json.dumps(report_to_dict(report, with_text), ensure_ascii=False, indent=indent)


# The JSON writer of the batch hot path. Sentences are most of a report and most of its cost:
# each is written from fragments made once (keys, labels, rule ids) and %-templates instead of
# dicts for json.dumps. Strings go through the escaper json.dumps(ensure_ascii=False) uses and
# numbers are written as json.dumps writes them, so the bytes are the same
# (tests/test_serialize.py holds them equal).
class _FloatText(dict):
    """float → its JSON text. Probabilities are rounded to 4 places: a few thousand values
    cover them all, and a lookup costs a fraction of float repr."""

    def __missing__(self, value: float) -> str:
        if value != value:
            return "NaN"
        if value in (math.inf, -math.inf):
            return "Infinity" if value > 0 else "-Infinity"
        text = float.__repr__(value)
        # 0.0 and -0.0 are one key (they compare equal) but two texts: neither is kept.
        if value != 0.0 and len(self) < 100_000:
            self[value] = text
        return text


# Floats only: the cache is keyed by value and 1 == 1.0 == True, so an int or a bool would find
# a float's text (see _dimension_values).
_float = _FloatText().__getitem__
_int = int.__repr__
# Keyed by type too: a hand-made label 1 must not be written as the true it equals.
_LABEL_JSON = {(dim, type(label), label): json.dumps(label)
               for dim in DIMENSIONS for label in (*LABELS[dim], None)}
_DIM_TEMPLATE = {
    dim: f'"{dim}": {{"label": %s, "score": %s, "rule_score": %s, "model_score": %s, '
         f'"probabilities": {{{", ".join(f"{json.dumps(k)}: %s" for k in LABEL_KEYS[dim])}}}, '
         f'"cues": [%s]'
    for dim in DIMENSIONS}
_N_PROBABILITIES = {dim: len(keys) for dim, keys in LABEL_KEYS.items()}
_CUE_TEMPLATE = '{"rule": %s, "text": %s, "start": %s, "end": %s, "label": %s}'
_WHO_TEMPLATE = '{"who": %s, "type": %s, "cue": %s, "start": %s, "end": %s}'
_QUOTE_TEMPLATE = '{"start": %s, "end": %s}'
# A scored sentence: the members put before its own (none, or those of a --sentences record),
# its head, then each dimension's label, scores, probabilities and cues (and for source the who
# and quotes lists), filled in by one %-format.
_HEAD_TEMPLATE = {with_text: '{%s"index": %s, "start": %s, "end": %s, "kind": %s'
                  + (', "text": %s' if with_text else '') for with_text in (False, True)}
_SENTENCE_TEMPLATE = {
    with_text: head + "".join(", " + _DIM_TEMPLATE[dim]
                              + (', "who": [%s], "quotes": [%s]}' if dim == "source" else "}")
                              for dim in DIMENSIONS) + "}"
    for with_text, head in _HEAD_TEMPLATE.items()}
_strings: dict[str, str] = {}  # rule ids and source types, escaped once


def _string(value: str) -> str:
    escaped = _strings.get(value)
    if escaped is None:
        if len(_strings) > 10_000:
            _strings.clear()
        escaped = _strings[value] = encode_basestring(value)
    return escaped


def _label(dim: str, label) -> str:
    found = _LABEL_JSON.get((dim, label.__class__, label))
    return found if found is not None else json.dumps(label, ensure_ascii=False)


def _dimension_values(dim: str, value: DimensionScore) -> tuple | None:
    """The values of one dimension in _DIM_TEMPLATE, as JSON texts. None for what the template
    cannot hold as json.dumps would write it: a number that is not a float, or probabilities
    not one per label key (only hand-made scores have either)."""
    score, rule_score, model_score = value.score, value.rule_score, value.model_score
    probabilities = value.probabilities
    if (type(score) is not float or type(rule_score) is not float
            or (model_score is not None and type(model_score) is not float)
            or len(probabilities) != _N_PROBABILITIES[dim]):
        return None
    for probability in probabilities:
        if type(probability) is not float:
            return None
    cues = ", ".join([_CUE_TEMPLATE % (_string(c.rule_id), encode_basestring(c.text), _int(c.start),
                                       _int(c.end), _label(dim, c.label)) for c in value.cues]) \
        if value.cues else ""
    return (_label(dim, value.label), _float(score), _float(rule_score),
            "null" if model_score is None else _float(model_score), *map(_float, probabilities), cues)


def sentence_json(scored: SentenceScore, with_text: bool = True) -> str:
    """json.dumps(sentence_dict(scored, with_text), ensure_ascii=False), faster."""
    return _sentence_json(scored, with_text, "")


def sentence_lines(report: ArticleReport, article_seq: int) -> str:
    """The --sentences records of a report, one line each: for every sentence
    json.dumps({"article_seq": article_seq, "article": report.article.id, **sentence_dict(s)},
    ensure_ascii=False) + "\n", faster."""
    lead = (f'"article_seq": {json.dumps(article_seq)}, '
            f'"article": {json.dumps(report.article.id, ensure_ascii=False)}, ')
    return "".join([_sentence_json(s, True, lead) + "\n" for s in report.sentences])


def _sentence_json(scored: SentenceScore, with_text: bool, lead: str) -> str:
    """A sentence's object, with ``lead`` (members and their ", ", or "") first inside it."""
    sentence = scored.sentence
    head = (lead, _int(sentence.index), _int(sentence.start), _int(sentence.end),
            encode_basestring(sentence.kind))
    if with_text:
        head += (encode_basestring(sentence.text),)
    source = scored.source
    if source is None:
        return _HEAD_TEMPLATE[with_text] % head + "}"
    hedging = _dimension_values("hedging", scored.hedging)
    source_values = _dimension_values("source", source)
    verification = _dimension_values("verification", scored.verification)
    if hedging is None or source_values is None or verification is None:
        return "{" + lead + json.dumps(sentence_dict(scored, with_text), ensure_ascii=False)[1:]
    evidence = scored.evidence
    who = ", ".join([_WHO_TEMPLATE % (encode_basestring(m.who), _string(m.type), encode_basestring(m.cue),
                                      _int(m.start), _int(m.end))
                     for m in evidence.sources if m.type == source.label]) if evidence.sources else ""
    quotes = ", ".join([_QUOTE_TEMPLATE % (_int(s), _int(e)) for s, e in evidence.quotes]) \
        if evidence.quotes else ""
    return _SENTENCE_TEMPLATE[with_text] % (*head, *hedging, *source_values, who, quotes, *verification)


def report_json(report: ArticleReport, with_text: bool = True) -> str:
    """json.dumps(report_to_dict(report, with_text), ensure_ascii=False), faster."""
    payload = report_to_dict(report, with_text, sentences=False)
    head = json.dumps(payload, ensure_ascii=False)
    sentences = ", ".join([_sentence_json(s, with_text, "") for s in report.sentences])
    return f'{head[:-1]}, "sentences": [{sentences}]}}'
