"""The credscore command: parses arguments and calls the library; errors become one line."""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


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
    _add_scorer(report)

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


COMMANDS = {"report": cmd_report, "rules": cmd_rules_check}


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
