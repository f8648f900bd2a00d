"""Renders a finished ArticleReport for the terminal with rich; knows nothing of scoring."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .records import DIMENSIONS, HEADING, ArticleReport, SentenceScore

BAND_STYLE = {"strong": "bold green", "mixed": "bold yellow", "weak": "bold red"}
CUE_STYLE = {"hedging": "underline yellow", "source": "underline cyan",
             "verification": "underline magenta"}
LABEL_STYLE = {"named": "green", "document": "cyan", "anonymous": "yellow", "none": "dim",
               "confirmed": "green", "unverified": "yellow", "disputed": "red"}


def title_of(report: ArticleReport) -> str:
    if report.article.title:
        return report.article.title
    heading = next((s.sentence.text for s in report.sentences if s.sentence.kind == HEADING),
                   None)
    return heading or report.article.id


def _header(report: ArticleReport) -> Panel:
    scored = report.scored_sentences
    furniture = len(report.sentences) - len(scored)
    lines = Text()
    lines.append(title_of(report), style="bold")
    if report.article.source or report.article.url:
        lines.append(f"\n{report.article.source or report.article.url}", style="dim")
    lines.append(f"\n{len(scored)} sentences scored, {furniture} headings/metadata "
                 f"· scorer: {report.scorer}")
    lines.append("\n\nScore ")
    lines.append(f"{report.score:.0f}/100", style="bold")
    lines.append("  band ")
    lines.append(report.band.upper(), style=BAND_STYLE.get(report.band, "bold"))
    return Panel(lines, title="credscore", title_align="left")


def _components(report: ArticleReport) -> Table:
    table = Table(title="Components", title_justify="left", expand=False)
    table.add_column("component")
    table.add_column("value", justify="right")
    for name, value in report.components:
        table.add_row(name.replace("_", " "), f"{value:.2f}")
    return table


def _ledger(report: ArticleReport) -> Table:
    table = Table(title="Sources the article relies on", title_justify="left")
    table.add_column("source", overflow="fold")
    table.add_column("type")
    table.add_column("sentences", justify="right")
    for entry in report.sources:
        table.add_row(entry.who, Text(entry.type, style=LABEL_STYLE.get(entry.type, "")),
                      str(entry.sentences))
    if not report.sources:
        table.add_row("(no attributed claims)", "", "")
    return table


def _flags(report: ArticleReport) -> Text:
    text = Text("Flags\n", style="bold")
    for flag in report.flags:
        text.append("  ! ", style="bold red")
        text.append(flag.message + "\n")
    if not report.flags:
        text.append("  (none)\n", style="dim")
    return text


def _spin(report: ArticleReport, shown: int = 6) -> Text:
    spin = report.spin
    text = Text("Machine-paraphrased text ", style="bold")
    text.append("yes" if spin.paraphrased else "no",
                style="bold red" if spin.paraphrased else "green")
    text.append(f"  score {spin.score:.2f} (substitutes {spin.substitution_score:.2f}, "
                f"word choice {spin.word_choice_score:.2f})\n")
    if spin.paraphrased and report.scorer == "combined":
        text.append("  fused with the spun-text weights (scoring.fusion.paraphrased_rule_weight)\n",
                    style="dim")
    # The strongest substitutes first: they are the ones an editor would never write.
    distinct = sorted(spin.distinct_hits(), key=lambda h: -h.weight)
    for hit in distinct[:shown]:
        text.append(f"  “{hit.text}” for “{hit.original}”\n", style="dim")
    if len(distinct) > shown:
        text.append(f"  … and {len(distinct) - shown} more\n", style="dim")
    choice = spin.word_choice
    if choice.plain + choice.spun:
        text.append(f"  spinner synonyms {choice.spun} vs plain words {choice.plain} "
                    f"(share {choice.share:.2f})\n", style="dim")
    return text


def _check_next(report: ArticleReport) -> Group:
    parts = [Text("Check these first", style="bold")]
    sentences = {s.sentence.index: s.sentence for s in report.sentences}
    for rank, item in enumerate(report.check_next, 1):
        line = Text(f"{rank}. #{item.sentence + 1} ", style="bold")
        line.append(item.reason, style="yellow")
        parts += [Padding(line, (0, 0, 0, 2)),
                  Padding(Text(sentences[item.sentence].text), (0, 0, 0, 5))]
    if not report.check_next:
        parts.append(Padding(Text("(no weak claim carries the article)", style="dim"),
                             (0, 0, 0, 2)))
    return Group(*parts)


def _sentence_text(scored: SentenceScore) -> Text:
    text = Text(scored.sentence.text)
    if not scored.scored:
        text.stylize("bold" if scored.sentence.kind == HEADING else "dim")
        return text
    for dim in ("hedging", "source", "verification"):
        for cue in scored.dimension(dim).cues:
            text.stylize(CUE_STYLE[dim], cue.start, cue.end)
    if scored.hedging.model_score is not None:
        parts = [f"{dim[0]} {d.rule_score:.2f}/{d.model_score:.2f}/{d.score:.2f}"
                 for dim, d in ((dim, scored.dimension(dim)) for dim in DIMENSIONS)]
        text.append("\nrules/model/combined: " + " · ".join(parts), style="dim")
    return text


def _labels(scored: SentenceScore) -> Text:
    if not scored.scored:
        return Text(scored.sentence.kind, style="dim")
    hedged = scored.hedging
    text = Text()
    text.append(f"hedged {hedged.score:.2f}\n" if hedged.label else "firm\n",
                style="yellow" if hedged.label else "dim")
    text.append(scored.source.label, style=LABEL_STYLE.get(scored.source.label, ""))
    text.append(f" {scored.source.score:.2f}\n")
    verification = scored.verification
    text.append(verification.label if verification.label != "none" else "-",
                style=LABEL_STYLE.get(verification.label, ""))
    if verification.label != "none":
        text.append(f" {verification.score:.2f}")
    return text


def _sentences(report: ArticleReport) -> Table:
    table = Table(title="Sentences (cues underlined)", title_justify="left", show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("sentence", ratio=1, overflow="fold")
    table.add_column("labels", no_wrap=True)
    for scored in report.sentences:
        table.add_row(str(scored.sentence.index + 1), _sentence_text(scored), _labels(scored))
    return table


def render(report: ArticleReport) -> Group:
    """A rich renderable of the whole report."""
    return Group(_header(report), _components(report), _ledger(report), _flags(report),
                 _spin(report), _sentences(report), _check_next(report))


def print_report(report: ArticleReport, console: Console | None = None) -> None:
    (console or Console()).print(render(report))


def print_evaluation(result: dict, name: str, console: Console | None = None) -> None:
    """Tables of an evaluation: rules, model and combined side by side per dimension."""
    console = console or Console()
    for dim, entry in result.get("dimensions", {}).items():
        scorers = [s for s in ("rules", "model", "combined") if s in entry]
        table = Table(title=f"{name}: {dim} ({entry['n']} sentences, "
                            f"{entry['ambiguous']} ambiguous left out)", title_justify="left")
        table.add_column("")
        for scorer in scorers:
            table.add_column(scorer, justify="right")
        table.add_row("accuracy", *[f"{entry[s]['accuracy']:.3f}" for s in scorers])
        table.add_row("macro-F1", *[f"{entry[s]['macro_f1']:.3f}" for s in scorers])
        for extra, title in (("f1_true", "F1 of hedged"), ("attributed_f1", "F1 attributed vs none")):
            if extra in entry[scorers[0]]:
                table.add_row(title, *[f"{entry[s][extra]:.3f}" for s in scorers])
        for label in entry[scorers[0]]["per_class"]:
            if entry[scorers[0]]["per_class"][label]["support"] == 0:
                continue
            table.add_row(f"{label} P/R/F1", *[
                "{precision:.2f}/{recall:.2f}/{f1:.2f}".format(**entry[s]["per_class"][label])
                for s in scorers])
        console.print(table)
        labels = list(entry[scorers[-1]]["per_class"])
        matrix = Table(title=f"confusion ({scorers[-1]}; rows gold, columns predicted)",
                       title_justify="left")
        matrix.add_column("gold \\ pred")
        for label in labels:
            matrix.add_column(label, justify="right")
        for label, row in zip(labels, entry[scorers[-1]]["confusion"]):
            matrix.add_row(label, *map(str, row))
        console.print(matrix)
    if "articles" in result:
        articles = result["articles"]
        console.print(f"articles: band matches {articles['band_accuracy']:.1%} "
                      f"of {articles['n']}")
