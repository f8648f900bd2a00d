"""Renders a finished ArticleReport as one self-contained HTML page; knows nothing of scoring.

No script, no external asset, no link out of the page: a reader opens it anywhere, and the
article's own text (which may be hostile) can only ever show as text. Every string that comes
from the article or the report goes through ``esc``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import CredscoreError
from .records import DIMENSIONS, HEADING, METADATA, ArticleReport, SentenceScore
from .report import title_of
from .segment import paragraph_break

# What a label is called on the page; colour is never the only carrier of meaning.
TAG_TEXT = {True: "hedged", False: "firm", "named": "named source", "document": "document",
            "anonymous": "anonymous source", "none": "no source", "confirmed": "confirmed",
            "unverified": "unverified", "disputed": "disputed"}
CUE_TITLE = {"hedging": "hedging cue", "source": "source cue", "verification": "verification cue"}

STYLE = """
body{font:16px/1.55 Georgia,'Times New Roman',serif;color:#1b1b1b;background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0} h2{font-size:1.2rem;border-bottom:2px solid #333;margin-top:2rem}
.meta,.legend,footer{font:13px/1.4 system-ui,sans-serif;color:#444}
.card{border:2px solid #222;padding:1rem 1.2rem;display:flex;flex-wrap:wrap;gap:1.5rem;align-items:center}
.score{font:700 2.6rem system-ui,sans-serif} .score small{font-size:1rem;font-weight:400}
.band{font:700 1rem system-ui,sans-serif;padding:.2rem .6rem;border:2px solid}
.band-strong{background:#d9f2d9;border-style:solid} .band-mixed{background:#fff1c2;border-style:dashed}
.band-weak{background:#f9d0d0;border-style:dotted}
.verdict{font:600 .95rem system-ui,sans-serif;padding:.3rem .6rem;border:2px solid #222}
.verdict.yes{background:#f9d0d0;border-style:double;border-width:4px}
table{border-collapse:collapse;font:14px/1.4 system-ui,sans-serif;margin:.5rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
.bar{display:inline-block;height:.7rem;background:#555;border:1px solid #222}
.flags li,.check li{margin:.4rem 0}
.para{margin:0 0 1rem 0}
details.s{border-left:6px solid #bbb;padding:.1rem .6rem;margin:.2rem 0}
details.s>summary{cursor:pointer;list-style:none} details.s>summary::-webkit-details-marker{display:none}
details.s[open]{background:#f6f6f6}
.src-named{border-left-style:solid!important;border-left-color:#2e7d32!important}
.src-document{border-left-style:double!important;border-left-color:#1565c0!important}
.src-anonymous{border-left-style:dashed!important;border-left-color:#e08e00!important}
.src-none{border-left-style:dotted!important;border-left-color:#777!important}
.n{font:12px system-ui,sans-serif;color:#555;margin-right:.3rem}
.tag{font:600 11px/1 system-ui,sans-serif;display:inline-block;padding:.15rem .35rem;margin:0 .1rem;
 border:1px solid #333;border-radius:2px;white-space:nowrap;vertical-align:middle}
.t-hedged{background:#efe0ff;border-style:dashed} .t-named{background:#d9f2d9}
.t-document{background:#d6e6fb} .t-anonymous{background:#ffe6b3;border-style:dashed}
.t-none{background:#eee;border-style:dotted} .t-confirmed{background:#d9f2d9}
.t-unverified{background:#ffe6b3;border-width:2px} .t-disputed{background:#f9c0c0;border-width:2px}
.t-check{background:#222;color:#fff} .t-spin{background:#fff;border-style:double;border-width:3px}
.c-hedging{text-decoration:underline wavy #7b1fa2;text-underline-offset:3px}
.c-source{text-decoration:underline solid #2e7d32;text-decoration-thickness:2px}
.c-verification{text-decoration:underline double #c62828}
.c-spin{text-decoration:underline dotted #000;text-decoration-thickness:2px;background:#eee}
.heading{font-size:1.1rem;margin:1.2rem 0 .4rem} .metadata{color:#555;font-size:.9rem}
.ev td{font-size:13px} blockquote{margin:.2rem 0 .2rem 1rem;font-style:italic}
@media print{details.s{break-inside:avoid}}
"""


def esc(value: object) -> str:
    """Text → HTML text or attribute value: <, >, &, and both quotes are escaped."""
    return html.escape(str(value), quote=True)


def _page(title: str, body: str) -> str:
    # The policy forbids any script or fetch even if something slipped through escaping.
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body><main>\n"
            f"{body}\n<footer>Written by credscore. No scripts; open the sentences for their "
            "evidence.</footer>\n</main></body>\n</html>\n")


def _tag(code: str, text: str) -> str:
    return f'<span class="tag t-{esc(code)}">{esc(text)}</span>'


def _header(report: ArticleReport) -> str:
    article = report.article
    scored = len(report.scored_sentences)
    where = " · ".join(esc(v) for v in (article.source, article.url, article.published) if v)
    spin = report.spin
    verdict = (f'<p class="verdict yes">Machine-paraphrased text: yes (score {spin.score:.2f})'
               "</p>" if spin.paraphrased else
               f'<p class="verdict">Machine-paraphrased text: no (score {spin.score:.2f})</p>')
    return (f"<h1>{esc(title_of(report))}</h1>\n"
            f'<p class="meta">article {esc(article.id)}{" · " + where if where else ""} · '
            f"{scored} sentences scored · scorer: {esc(report.scorer)}</p>\n"
            f'<div class="card"><div class="score">{report.score:.0f}<small>/100</small></div>'
            f'<div class="band band-{esc(report.band)}">{esc(report.band.upper())}</div>'
            f"{verdict}</div>")


def _components(report: ArticleReport) -> str:
    rows = "".join(
        f"<tr><td>{esc(name.replace('_', ' '))}</td><td><span class=\"bar\" "
        f"style=\"width:{value * 10:.1f}rem\"></span></td><td>{value:.2f}</td></tr>"
        for name, value in report.components)
    return ("<h2>Score components</h2>\n<table><tr><th>component</th><th></th><th>value</th>"
            f"</tr>{rows}</table>")


def _ledger(report: ArticleReport) -> str:
    rows = "".join(f"<tr><td>{esc(e.who)}</td><td>{_tag(e.type, e.type)}</td>"
                   f"<td>{e.sentences}</td></tr>" for e in report.sources)
    if not report.sources:
        rows = '<tr><td colspan="3">(no attributed claims)</td></tr>'
    return ("<h2>Sources the article relies on</h2>\n<table><tr><th>source</th><th>type</th>"
            f"<th>sentences</th></tr>{rows}</table>")


def _flags(report: ArticleReport) -> str:
    items = "".join(f"<li><strong>!</strong> {esc(f.message)}</li>" for f in report.flags)
    return f'<h2>Flags</h2>\n<ul class="flags">{items or "<li>(none)</li>"}</ul>'


def _spin(report: ArticleReport) -> str:
    spin = report.spin
    distinct = sorted(spin.distinct_hits(), key=lambda h: -h.weight)
    rows = "".join(f"<tr><td>{esc(h.text)}</td><td>{esc(h.original)}</td>"
                   f'<td><a href="#s-{h.sentence}">#{h.sentence + 1}</a></td>'
                   f"<td>{h.weight:.1f}</td></tr>" for h in distinct)
    substitutes = (f"<table><tr><th>written</th><th>where an editor writes</th><th>first in</th>"
                   f"<th>weight</th></tr>{rows}</table>") if rows else "<p>No spinner substitute found.</p>"
    choice = spin.word_choice
    pairs = "".join(f"<tr><td>{esc(p)}</td><td>{n_p}</td><td>{esc(s)}</td><td>{n_s}</td></tr>"
                    for p, s, n_p, n_s in choice.pairs)
    pairs_table = (f"<table><tr><th>plain word</th><th>uses</th><th>spinner's synonym</th>"
                   f"<th>uses</th></tr>{pairs}</table>") if pairs else ""
    return (f'<h2 id="spin">Machine-paraphrased text</h2>\n<p>Score {spin.score:.2f}: '
            f"substitutes {spin.substitution_score:.2f}, word choice {spin.word_choice_score:.2f} "
            f"(spinner synonyms {choice.spun} against plain words {choice.plain}, smoothed share "
            f"{choice.share:.2f}).</p>\n{substitutes}\n{pairs_table}")


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    css: str
    title: str


def _marks(scored: SentenceScore, spin_hits: Sequence) -> list[_Mark]:
    marks = [_Mark(h.start, h.end, "c-spin", f"spinner's substitute for “{h.original}”")
             for h in spin_hits]
    if scored.scored:
        for dim in DIMENSIONS:
            for cue in scored.dimension(dim).cues:
                marks.append(_Mark(cue.start, cue.end, f"c-{dim}",
                                   f"{CUE_TITLE[dim]} {cue.rule_id}: {cue.description}"))
    return marks


def marked_text(text: str, marks: Sequence[_Mark]) -> str:
    """The sentence, escaped, with each mark's span wrapped in a span (nested where marks
    overlap, so every underline shows)."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        if start >= end or start < 0 or end > len(text):
            continue
        piece = esc(text[start:end])
        for mark in marks:
            if mark.start <= start and end <= mark.end:
                piece = f'<span class="{mark.css}" title="{esc(mark.title)}">{piece}</span>'
        pieces.append(piece)
    return "".join(pieces)


def _evidence(scored: SentenceScore) -> str:
    rows = []
    for dim in DIMENSIONS:
        value = scored.dimension(dim)
        model = f"{value.model_score:.2f}" if value.model_score is not None else "—"
        cues = "<br>".join(f"{esc(c.rule_id)}: “{esc(c.text)}” ({esc(c.description)})"
                           for c in value.cues) or "no rule fired"
        rows.append(f"<tr><td>{dim}</td><td>{esc(TAG_TEXT.get(value.label, value.label))}</td>"
                    f"<td>{value.score:.2f}</td><td>{value.rule_score:.2f}</td><td>{model}</td>"
                    f"<td>{cues}</td></tr>")
    who = "".join(f"<li>{esc(m.who)} ({esc(m.type)}, cue “{esc(m.cue)}”)</li>"
                  for m in scored.evidence.sources)
    return ('<table class="ev"><tr><th>dimension</th><th>label</th><th>combined</th>'
            "<th>rules</th><th>model</th><th>rules that fired</th></tr>" + "".join(rows) +
            "</table>" + (f"<p>Sources named:</p><ul>{who}</ul>" if who else ""))


def _sentence(scored: SentenceScore, hits: Sequence, check_rank: int | None) -> str:
    sentence = scored.sentence
    anchor = f's-{sentence.index}'
    text = marked_text(sentence.text, _marks(scored, hits))
    if sentence.kind == HEADING:
        return f'<h3 class="heading" id="{anchor}">{text}</h3>'
    if sentence.kind == METADATA:
        return f'<p class="metadata" id="{anchor}">{text}</p>'
    # The source is always said (even "no source"); hedging and verification only when set.
    tags = [_tag("hedged", TAG_TEXT[True])] if scored.hedging.label else []
    tags.append(_tag(scored.source.label, TAG_TEXT[scored.source.label]))
    if scored.verification.label != "none":
        tags.append(_tag(scored.verification.label, TAG_TEXT[scored.verification.label]))
    if check_rank is not None:
        tags.insert(0, _tag("check", f"check first #{check_rank}"))
    if hits:
        tags.append(_tag("spin", "spinner words"))
    hover = (f"hedging {scored.hedging.score:.2f} · {scored.source.label} "
             f"{scored.source.score:.2f} · {scored.verification.label} "
             f"{scored.verification.score:.2f}")
    css = f"s src-{esc(scored.source.label)} ver-{esc(scored.verification.label)}"
    return (f'<details class="{css}" id="{anchor}"><summary title="{esc(hover)}">'
            f'<span class="n">{sentence.index + 1}</span>{text} {"".join(tags)}</summary>'
            f"{_evidence(scored)}</details>")


def _article(report: ArticleReport) -> str:
    hits: dict[int, list] = {}
    for hit in report.spin.hits:
        hits.setdefault(hit.sentence, []).append(hit)
    ranks = {item.sentence: rank for rank, item in enumerate(report.check_next, 1)}
    paragraphs, current, previous = [], [], None
    text = report.article.text
    for scored in report.sentences:
        sentence = scored.sentence
        if current and paragraph_break(text, previous, sentence):
            paragraphs.append(current)
            current = []
        current.append(_sentence(scored, hits.get(sentence.index, []), ranks.get(sentence.index)))
        previous = sentence
    if current:
        paragraphs.append(current)
    legend = ('<p class="legend">Each sentence carries its labels as tags; the left rule shows '
              "the source (solid named, double document, dashed anonymous, dotted none). "
              'Underlines: <span class="c-hedging">wavy hedging cue</span>, '
              '<span class="c-source">solid source cue</span>, '
              '<span class="c-verification">double verification cue</span>, '
              '<span class="c-spin">dotted spinner word</span>. Open a sentence for its '
              "evidence: the rules that fired, the rule, model and combined scores.</p>")
    body = "\n".join(f'<div class="para">{"".join(p)}</div>' for p in paragraphs)
    return f'<h2 id="article">The article</h2>\n{legend}\n{body}'


def _check_next(report: ArticleReport) -> str:
    sentences = {s.sentence.index: s.sentence for s in report.sentences}
    items = "".join(
        f'<li><a href="#s-{item.sentence}">sentence {item.sentence + 1}</a>: '
        f"<strong>{esc(item.reason)}</strong><blockquote>{esc(sentences[item.sentence].text)}"
        "</blockquote></li>" for item in report.check_next)
    return ('<h2 id="check-next">Check these first</h2>\n'
            f'<ol class="check">{items or "<li>No weak claim carries the article.</li>"}</ol>')


def render_html(report: ArticleReport) -> str:
    """The whole page for one report."""
    body = "\n".join((_header(report), _components(report), _ledger(report), _flags(report),
                      _spin(report), _article(report), _check_next(report)))
    return _page(f"credscore: {title_of(report)}", body)


@dataclass(frozen=True)
class IndexEntry:
    """One article on the batch index page."""

    file: str
    id: str
    title: str
    score: float
    band: str
    paraphrased: bool
    flags: int


def index_entry(report: ArticleReport, file: str) -> IndexEntry:
    return IndexEntry(file=file, id=report.article.id, title=title_of(report),
                      score=report.score, band=report.band, paraphrased=report.spin.paraphrased,
                      flags=len(report.flags))


def render_index(entries: Sequence[IndexEntry]) -> str:
    """The batch index page: every article, weakest score first."""
    rows = "".join(
        f'<tr><td>{e.score:.0f}</td><td><span class="band band-{esc(e.band)}">{esc(e.band)}'
        f'</span></td><td>{"yes" if e.paraphrased else "no"}</td><td>{e.flags}</td>'
        f'<td><a href="{esc(e.file)}">{esc(e.title)}</a></td><td>{esc(e.id)}</td></tr>'
        for e in sorted(entries, key=lambda e: (e.score, e.id)))
    body = (f"<h1>credscore: {len(entries)} articles</h1>\n<p class=\"meta\">Sorted by score, "
            "weakest first.</p>\n<table><tr><th>score</th><th>band</th><th>machine-paraphrased"
            f"</th><th>flags</th><th>title</th><th>id</th></tr>{rows}</table>")
    return _page(f"credscore: {len(entries)} articles", body)


def page_name(seq: int, article_id: str) -> str:
    """A safe, unique file name for an article's page: its position and a cleaned id."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_"
                      for c in article_id)[:60]
    return f"{seq + 1:05d}-{cleaned or 'article'}.html"


def write_page(text: str, path: str | Path) -> None:
    """Writes a page; a failure becomes one line naming the file."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise CredscoreError(f"{path}: cannot write the HTML page ({error.strerror or error})") \
            from None


def write_html(report: ArticleReport, path: str | Path) -> None:
    write_page(render_html(report), path)
