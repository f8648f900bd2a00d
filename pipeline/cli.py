"""The credscore command: parses arguments and calls the library; errors become one line."""

from __future__ import annotations

import argparse
import os
import sys
import time

from .load import DEFAULT_MAX_ARTICLE_BYTES

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (argparse reports anything else in one line)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _add_scorer(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scorer", choices=("rules", "model", "combined"), default="combined",
                        help="which scores to report (default: combined)")
    parser.add_argument("--rules", metavar="FILE", help="use this rules file instead of the bundled one")
    parser.add_argument("--models", metavar="DIR", help="use the models in DIR")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="credscore",
                                     description="How well are a news article's claims sourced?")
    commands = parser.add_subparsers(dest="command", required=True)

    report = commands.add_parser("report", help="score one article and print its report")
    report.add_argument("file", help="article text file, or - for standard input")
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    report.add_argument("--html", metavar="OUT.html", help="also write a self-contained HTML page")
    _add_scorer(report)

    train = commands.add_parser("train", help="train the learned classifiers from data/")
    train.add_argument("--data", nargs="+", metavar="PATH", help="JSONL files or folders "
                       "(default: data/corpus of the checkout)")
    train.add_argument("--out", metavar="DIR", default="models", help="output folder (default: models)")

    evaluate = commands.add_parser("eval", help="evaluate on a gold JSONL file")
    evaluate.add_argument("gold", nargs="?", help="gold sentences (JSONL, ANNOTATION.md contract)")
    evaluate.add_argument("--articles", metavar="FILE",
                          help="JSONL of {id, text, expected_band}: band agreement")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    _add_scorer(evaluate)

    batch = commands.add_parser("batch", help="score many articles (JSONL, CSV, folders, -)")
    batch.add_argument("inputs", nargs="+", help="JSONL/CSV files, folders of .txt, or - (JSONL on stdin)")
    batch.add_argument("-o", "--out", required=True, metavar="OUT.jsonl", help="one report per line")
    batch.add_argument("--sentences", metavar="FILE.jsonl", help="also write one record per sentence")
    batch.add_argument("--csv", metavar="FILE.csv", help="also write one summary row per article")
    batch.add_argument("--with-text", action="store_true", help="keep sentence texts in OUT.jsonl")
    batch.add_argument("--workers", type=_positive, default=os.cpu_count() or 1,
                       help="processes (default: cores)")
    batch.add_argument("--resume", action="store_true", help="continue a stopped run")
    batch.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_ARTICLE_BYTES,
                       help="per-article size limit in bytes (default: 2,000,000)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    batch.add_argument("--html-dir", metavar="DIR", help="also write one HTML page per article "
                       "and an index page sorted by score")
    _add_scorer(batch)

    rules = commands.add_parser("rules", help="work with rules files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_commands.add_parser("check", help="validate a rules file")
    check.add_argument("file", nargs="?", help="rules file (default: the bundled rules.yaml)")
    return parser


def _pipeline(args):
    from .scorer import Pipeline

    return Pipeline(rules_path=args.rules, models_path=args.models, scorer=args.scorer)


def cmd_report(args) -> int:
    from .load import read_article

    article = read_article(args.file)
    report = _pipeline(args).score_article(article)
    if args.html:
        from .html_report import write_html

        write_html(report, args.html)
    if args.json:
        from .serialize import to_json

        sys.stdout.write(to_json(report, indent=2) + "\n")
    else:
        from .report import print_report

        print_report(report)
    return EXIT_OK


def cmd_rules_check(args) -> int:
    from .matcher import Matcher
    from .rulebook import load_rulebook

    rulebook = load_rulebook(args.file)
    Matcher(rulebook)
    print(f"{rulebook.path}: {len(rulebook.rules)} rules, {len(rulebook.lexicons)} lexicons: ok")
    return EXIT_OK


def cmd_train(args) -> int:
    from pathlib import Path

    from .resources import rules_path
    from .train import train

    data = [Path(p) for p in args.data] if args.data else [rules_path().parent / "data" / "corpus"]
    train(data, Path(args.out), log=lambda line: print(line, file=sys.stderr))
    return EXIT_OK


def cmd_eval(args) -> int:
    import json

    from .errors import InputError
    from .evaluate import evaluate_articles, evaluate_records
    from .load import read_jsonl_records

    if not args.gold and not args.articles:
        raise InputError("eval needs a gold file or --articles FILE")
    pipeline = _pipeline(args)
    result = {}
    if args.gold:
        result = evaluate_records(pipeline, read_jsonl_records(args.gold))
    if args.articles:
        result["articles"] = evaluate_articles(pipeline, read_jsonl_records(args.articles))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        from .report import print_evaluation

        print_evaluation(result, args.gold or args.articles)
    return EXIT_OK


def cmd_batch(args) -> int:
    from pathlib import Path

    from .batch import BatchOptions, run_batch, total_records

    options = BatchOptions(
        inputs=args.inputs, out=Path(args.out), sentences=Path(args.sentences) if args.sentences
        else None, csv=Path(args.csv) if args.csv else None, workers=args.workers,
        resume=args.resume, with_text=args.with_text, scorer=args.scorer, rules=args.rules,
        models=args.models, max_bytes=args.max_bytes,
        html_dir=Path(args.html_dir) if args.html_dir else None)
    if args.quiet or not sys.stderr.isatty():
        summary = run_batch(options)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn("scoring"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            console=Console(stderr=True))
        total = total_records(options)
        with progress:
            task = progress.add_task("batch", total=total, rate="")
            tally = {"articles": 0, "sentences": 0}
            started = time.perf_counter()

            def advance(articles: int, sentences: int) -> None:
                tally["articles"] += articles
                tally["sentences"] += sentences
                elapsed = max(time.perf_counter() - started, 1e-9)
                progress.update(task, advance=articles,
                                rate=f"{tally['articles'] / elapsed:.0f} art/s "
                                     f"{tally['sentences'] / elapsed:.0f} sent/s")

            summary = run_batch(options, on_progress=advance)
    if not args.quiet:
        rate = summary.sentences / summary.seconds if summary.seconds else 0.0
        bands = ", ".join(f"{band} {n}" for band, n in sorted(summary.bands.items()))
        print(f"credscore batch: {summary.articles} articles, {summary.sentences} sentences, "
              f"{summary.errors} errors, {summary.skipped} already done; {summary.seconds:.1f} s, "
              f"{rate:.0f} sentences/s; bands: {bands or '-'}", file=sys.stderr)
    return EXIT_PARTIAL if summary.partial else EXIT_OK


COMMANDS = {"batch": cmd_batch, "report": cmd_report, "rules": cmd_rules_check, "train": cmd_train,
            "eval": cmd_eval}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .errors import CredscoreError

    try:
        return COMMANDS[args.command](args)
    except CredscoreError as error:
        print(f"credscore: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("credscore: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("CREDSCORE_DEBUG"):
            raise
        print(f"credscore: internal error: {error.__class__.__name__}: {error} "
              "(set CREDSCORE_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
