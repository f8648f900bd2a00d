"""Scoring on Spark gives what `credscore batch` gives for the same records, row for row."""

import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO, read_jsonl

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install '.[spark]')")
pytest.importorskip("pandas", reason="pandas is not installed (pip install '.[spark]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install '.[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java: no 'java' on PATH and no JAVA_HOME", allow_module_level=True)

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")

SHORT = REPO / "tests" / "data" / "short_articles.jsonl"


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """One local Spark for the module, on loopback only, its workers importing this checkout."""
    from pyspark.sql import SparkSession

    import pipeline

    scratch = tmp_path_factory.mktemp("spark")
    package_root = str(Path(pipeline.__file__).resolve().parent.parent)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        env.setenv("PYSPARK_PYTHON", sys.executable)
        env.setenv("PYTHONPATH", os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        session = (SparkSession.builder.master("local[2]").appName("credscore-tests")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "2")
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.local.dir", str(scratch))
                   .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="module")
def articles_jsonl(tmp_path_factory) -> Path:
    """The three example articles, then the short records (one of them blank)."""
    path = tmp_path_factory.mktemp("input") / "articles.jsonl"
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")})
             for p in sorted(EXAMPLES.glob("*.txt"))]
    path.write_text("\n".join(lines) + "\n" + SHORT.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch_outputs(articles_jsonl, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("batch")
    result = subprocess.run([sys.executable, "-m", "pipeline", "batch", str(articles_jsonl), "-o",
                             str(out / "out.jsonl"), "--csv", str(out / "summary.csv"), "--sentences",
                             str(out / "sentences.jsonl"), "--quiet", "--workers", "1"],
                            cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 3, result.stderr  # the blank record is set aside
    with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
        rows = [_typed(row) for row in csv.DictReader(handle)]
    return {"rows": rows, "sentences": read_jsonl(out / "sentences.jsonl"),
            "errors": read_jsonl(out / "out.errors.jsonl")}


@pytest.fixture(scope="module")
def scored(spark, articles_jsonl):
    from pipeline.spark import score_dataframe

    frame = score_dataframe(spark.read.json(str(articles_jsonl)), with_sentences=True).cache()
    yield frame
    frame.unpersist()


def _typed(row: dict) -> dict:
    """A --csv row with numbers parsed: counts are integers, score and components floats."""
    from pipeline.batch import CSV_COUNTS

    return {name: value if name in ("id", "band") else int(value) if name in ("sentences", *CSV_COUNTS)
            else float(value) for name, value in row.items()}


def test_summary_rows_equal_batch_csv(scored, batch_outputs):
    rows = [row.asDict() for row in scored.drop("sentence_records").collect()]
    ok = [{k: v for k, v in row.items() if k != "error"} for row in rows if row["error"] is None]
    assert list(ok[0]) == list(batch_outputs["rows"][0])  # the --csv columns, in order
    assert ok == batch_outputs["rows"]
    assert {row["id"] for row in ok} >= {"well_sourced", "thin", "spun", "42", "heading-only"}


def test_sentence_records_equal_batch_sentences(scored, batch_outputs):
    from pipeline.spark import sentence_records

    rows = sentence_records(scored).collect()
    expected = [{k: v for k, v in line.items() if k != "article_seq"} for line in batch_outputs["sentences"]]
    assert [{"article": row["article"], **json.loads(row["record"])} for row in rows] == expected
    for row in rows:  # the flat columns say what the record says
        record = json.loads(row["record"])
        assert (row["kind"], row["text"], row["start"]) == (record["kind"], record["text"], record["start"])
        for dim in ("hedging", "source", "verification"):
            assert row[dim] == (record[dim]["label"] if dim in record else None)


def test_a_record_batch_sets_aside_gets_the_same_reason_in_error(scored, batch_outputs):
    bad = [row for row in scored.collect() if row["error"] is not None]
    assert [row["id"] for row in bad] == ["blank"]
    assert bad[0]["error"] == batch_outputs["errors"][0]["reason"]
    assert bad[0]["score"] is None and bad[0]["sentence_records"] is None


def test_missing_text_column_is_refused_on_the_driver(spark):
    from pipeline.errors import InputError
    from pipeline.spark import score_dataframe

    frame = spark.createDataFrame([("a", "Officials said so.")], "id string, body string")
    with pytest.raises(InputError, match="no column 'text'"):
        score_dataframe(frame)


def test_example_script_reads_jsonl_and_writes_parquet(spark, articles_jsonl, batch_outputs, tmp_path):
    spec = importlib.util.spec_from_file_location("spark_score", EXAMPLES / "spark_score.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out, sentences = tmp_path / "scored.parquet", tmp_path / "sentences.jsonl"
    code = script.main([str(articles_jsonl), str(out), "--sentences", str(sentences)], spark=spark)
    assert code == 3  # the blank record carries an error, as batch exits 3
    written = spark.read.parquet(str(out))
    assert "sentence_records" not in written.columns
    scores = {row["id"]: row["score"] for row in written.collect() if row["error"] is None}
    assert scores == {row["id"]: row["score"] for row in batch_outputs["rows"]}
    assert spark.read.json(str(sentences)).count() == len(batch_outputs["sentences"])
