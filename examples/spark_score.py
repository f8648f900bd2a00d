"""Score articles on Apache Spark with credscore: one summary row per article, as `batch --csv`.

    spark-submit examples/spark_score.py articles.jsonl scored.parquet \
        [--sentences sentences.parquet] [--scorer combined] [--overwrite]

Input: JSON Lines records {"id", "text", ...} or Parquet (by the path's suffix, or --in-format).
Output: Parquet, or JSON Lines when the path ends in .jsonl/.json (or --out-format); Spark
writes a folder of part files either way. Every executor needs `pip install 'credscore[spark]'`.
Exit codes as `credscore batch`: 0 all scored, 3 some rows carry an `error`, 2 a fatal stop.
"""

from __future__ import annotations

import argparse
import sys

# Articles go to the Python workers in Arrow batches of this many rows; Spark's default
# (10,000) would let a worker hold gigabytes of text when articles are long.
ARROW_BATCH_KEY, ARROW_BATCH_ROWS = "spark.sql.execution.arrow.maxRecordsPerBatch", "256"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSONL or Parquet file or folder")
    parser.add_argument("output", help="where to write the summary rows")
    parser.add_argument("--sentences", metavar="PATH", help="also write one row per sentence")
    parser.add_argument("--in-format", choices=("jsonl", "parquet"), help="default: by suffix")
    parser.add_argument("--out-format", choices=("jsonl", "parquet"), help="default: by suffix")
    parser.add_argument("--id-col", default="id")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--scorer", choices=("rules", "model", "combined"), default="combined")
    parser.add_argument("--rules", help="a rules.yaml every executor can read (default: bundled)")
    parser.add_argument("--models", help="a models/ folder every executor can read (default: bundled)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    return parser.parse_args(argv)


def format_of(path: str, given: str | None) -> str:
    if given:
        return given
    return "parquet" if path.rstrip("/").endswith(".parquet") else "jsonl"


def read(spark, path: str, fmt: str):
    return spark.read.parquet(path) if fmt == "parquet" else spark.read.json(path)


def write(frame, path: str, fmt: str, overwrite: bool) -> None:
    writer = frame.write.mode("overwrite" if overwrite else "errorifexists")
    if fmt == "parquet":
        writer.parquet(path)
    else:
        writer.json(path)


def main(argv: list[str] | None = None, spark=None) -> int:
    """Runs the job on `spark` (or a session of its own, stopped at the end); returns the exit code."""
    from pipeline.errors import CredscoreError
    from pipeline.spark import score_dataframe, sentence_records

    args = parse_args(argv)
    own_session = spark is None
    if own_session:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("credscore").getOrCreate()
        if not spark.sparkContext.getConf().contains(ARROW_BATCH_KEY):  # a --conf given wins
            spark.conf.set(ARROW_BATCH_KEY, ARROW_BATCH_ROWS)
    try:
        articles = read(spark, args.input, format_of(args.input, args.in_format))
        scored = score_dataframe(articles, args.id_col, args.text_col, scorer=args.scorer,
                                 rules=args.rules, models=args.models,
                                 with_sentences=bool(args.sentences))
        # Cached so that the summary, the sentences and the tally below score each article once.
        scored = scored.cache()
        write(scored.drop("sentence_records"), args.output, format_of(args.output, args.out_format),
              args.overwrite)
        if args.sentences:
            write(sentence_records(scored), args.sentences, format_of(args.sentences, args.out_format),
                  args.overwrite)
        total, errors = scored.selectExpr("count(*)", "count(error)").first()
        scored.unpersist()
    except CredscoreError as error:
        print(f"spark_score: {error}", file=sys.stderr)
        return 2
    finally:
        if own_session:
            spark.stop()
    print(f"spark_score: {total - errors} articles scored, {errors} with an error → {args.output}",
          file=sys.stderr)
    return 3 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
