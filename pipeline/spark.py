"""Scores a Spark DataFrame of articles: one summary row per article, as `credscore batch --csv`.

The work runs in `mapInPandas`, so articles travel to the Python workers in Arrow batches.
Each worker process builds its Pipeline once (the module cache below) and keeps it for every
batch of every task it runs, since Spark reuses Python workers. rules.yaml and models/ come from
the installed package (`pipeline/resources.py`) unless paths are given, which every executor
must then be able to read. pyspark is imported only inside these functions: the core package
never needs it (install `credscore[spark]`).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .batch import CHUNK, CSV_COUNTS, _csv_header, summary_row
from .batch_input import BadRecord, GoodRecord, _article
from .errors import InputError
from .load import DEFAULT_MAX_ARTICLE_BYTES
from .records import DIMENSIONS
from .scorer import SCORERS, Pipeline, score_each
from .serialize import sentence_json

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

# One Pipeline per (rules, models, scorer) per Python process: on an executor this is what
# makes the rules and models load once rather than once per batch or per task.
_PIPELINES: dict[tuple, Pipeline] = {}

# Per-sentence fields: flat labels for querying, plus `record`, the JSON object that
# `credscore batch --sentences` writes for the sentence (cues, probabilities, who).
SENTENCE_FIELDS = (
    ("index", "int"), ("start", "int"), ("end", "int"), ("kind", "string"), ("text", "string"),
    ("hedging", "boolean"), ("hedging_score", "double"),
    ("source", "string"), ("source_score", "double"),
    ("verification", "string"), ("verification_score", "double"),
    ("record", "string"),
)


def _pipeline(key: tuple) -> Pipeline:
    if key not in _PIPELINES:
        rules, models, scorer = key
        _PIPELINES[key] = Pipeline(rules_path=rules, models_path=models, scorer=scorer)
    return _PIPELINES[key]


def _column_types(components: list[str]) -> dict[str, str]:
    """Spark type of every summary column, in the order of the --csv header, then `error`."""
    kinds = {"id": "string", "score": "double", "band": "string", "sentences": "bigint",
             **dict.fromkeys(components, "double"), **dict.fromkeys(CSV_COUNTS, "bigint")}
    types = {name: kinds[name] for name in _csv_header(components)}
    types["error"] = "string"
    return types


def _schema_ddl(types: dict[str, str], with_sentences: bool) -> str:
    columns = [f"`{name}` {kind}" for name, kind in types.items()]
    if with_sentences:
        fields = ", ".join(f"`{name}`: {kind}" for name, kind in SENTENCE_FIELDS)
        columns.append(f"`sentence_records` array<struct<{fields}>>")
    return ", ".join(columns)


def _resolved(path: str | Path | None) -> str | None:
    # A relative path means the driver's working directory; workers may run elsewhere.
    if path is None:
        return None
    return str(Path(path).resolve()) if Path(path).exists() else str(path)


def score_dataframe(df: DataFrame, id_col: str = "id", text_col: str = "text", *,
                    scorer: str = "combined", rules: str | Path | None = None,
                    models: str | Path | None = None, with_sentences: bool = False,
                    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> DataFrame:
    """One row per input row: the `batch --csv` columns plus `error` (null when scored).

    A record batch would set aside (missing id, empty text, over max_bytes) gets null scores and
    the reason in `error`, so one bad article never fails the job. With `with_sentences`, a
    `sentence_records` column holds the article's sentences (flattened by `sentence_records`).
    """
    if scorer not in SCORERS:
        raise ValueError(f"scorer must be one of {', '.join(SCORERS)}")
    for column in (id_col, text_col):
        if column not in df.columns:
            raise InputError(f"the DataFrame has no column '{column}' (it has: {', '.join(df.columns)})")
    key = (_resolved(rules), _resolved(models), scorer)
    # Built here once so that bad rules or models stop the job on the driver with one line,
    # before any executor starts; it also gives the component names of the schema.
    components = list(_pipeline(key).rulebook.scoring.components)
    types = _column_types(components)
    articles = df.select(df[id_col].cast("string").alias("id"), df[text_col].cast("string").alias("text"))
    score = partial(_score_batches, key, types, with_sentences, max_bytes)
    return articles.mapInPandas(score, _schema_ddl(types, with_sentences))


def sentence_records(scored: DataFrame) -> DataFrame:
    """One row per sentence of a `score_dataframe(..., with_sentences=True)` result."""
    from pyspark.sql import functions as F

    exploded = scored.select(scored["id"].alias("article"),
                             F.explode("sentence_records").alias("sentence"))
    return exploded.select("article", "sentence.*")


def _score_batches(key: tuple, types: dict[str, str], with_sentences: bool, max_bytes: int, batches):
    """Worker side of mapInPandas: pandas batches of (id, text) in, summary batches out."""
    import pandas as pd

    pipeline = _pipeline(key)
    width = len(types) - 1  # the --csv columns; `error` comes last
    dtypes = {"string": object, "double": "Float64", "bigint": "Int64"}
    for batch in batches:
        # Arrow hands missing strings over as None or NaN depending on the pandas version.
        rows = [{"id": _string(record_id), "text": _string(text)}
                for record_id, text in zip(batch["id"], batch["text"])]
        results = []
        for start in range(0, len(rows), CHUNK):
            results += _score_chunk(pipeline, rows[start:start + CHUNK], width, max_bytes,
                                    with_sentences)
        columns = {name: pd.Series([values[n] for values, _ in results], dtype=dtypes[kind])
                   for n, (name, kind) in enumerate(types.items())}
        if with_sentences:
            columns["sentence_records"] = pd.Series([found for _, found in results], dtype=object)
        yield pd.DataFrame(columns)


def _string(value) -> str | None:
    return value if isinstance(value, str) else None


def _score_chunk(pipeline: Pipeline, rows: list[dict], width: int, max_bytes: int,
                 with_sentences: bool) -> list[tuple]:
    """(summary values then error, sentence structs or None) per row, validated as batch does."""
    records = [_article(row, "dataframe", 0, max_bytes) for row in rows]
    outcomes = iter(score_each(pipeline, [record.article for record in records
                                          if isinstance(record, GoodRecord)]))
    results = []
    for row, record in zip(rows, records):
        if isinstance(record, BadRecord):
            results.append(([row["id"], *[None] * (width - 1), record.reason], None))
            continue
        report = next(outcomes)
        if isinstance(report, str):  # the reason it could not be scored
            results.append(([row["id"], *[None] * (width - 1), report], None))
            continue
        found = [_sentence_struct(s) for s in report.sentences] if with_sentences else None
        results.append(([*summary_row(report), None], found))
    return results


def _sentence_struct(scored) -> dict:
    sentence = scored.sentence
    values = {"index": sentence.index, "start": sentence.start, "end": sentence.end,
              "kind": sentence.kind, "text": sentence.text}
    for dim in DIMENSIONS:
        value = scored.dimension(dim)
        values[dim] = None if value is None else value.label
        values[f"{dim}_score"] = None if value is None else value.score
    values["record"] = sentence_json(scored)
    return values
