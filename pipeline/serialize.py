"""ArticleReport → plain dicts and JSON: the credscore.report/1 schema."""

from __future__ import annotations

import json

from .records import DIMENSIONS, LABEL_KEYS, ArticleReport, DimensionScore, SentenceScore, SpinResult

SCHEMA = "credscore.report/1"


def _dimension_dict(dim: str, value: DimensionScore, scored: SentenceScore) -> dict:
    result = {
        "label": value.label,
        "score": value.score,
        "rule_score": value.rule_score,
        "model_score": value.model_score,
        "probabilities": dict(zip(LABEL_KEYS[dim], value.probabilities)),
        "cues": [{"rule": c.rule_id, "text": c.text, "start": c.start, "end": c.end,
                  "label": c.label, "description": c.description} for c in value.cues],
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
    if scored.source is not None:
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


def report_to_dict(report: ArticleReport, with_text: bool = True) -> dict:
    article = report.article
    counts = {"sentences": sum(1 for s in report.sentences if s.source is not None),
              "headings": sum(1 for s in report.sentences if s.sentence.kind == "heading"),
              "metadata": sum(1 for s in report.sentences if s.sentence.kind == "metadata")}
    return {
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
        "sentences": [sentence_dict(s, with_text) for s in report.sentences],
    }


def to_json(report: ArticleReport, with_text: bool = True, indent: int | None = None) -> str:
    return json.dumps(report_to_dict(report, with_text), ensure_ascii=False, indent=indent)
