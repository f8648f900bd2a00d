"""The HTML page: self-contained, every article string escaped, and it renders in a browser."""

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import pytest

from pipeline.html_report import IndexEntry, page_name, render_html, render_index
from pipeline.records import Article
from tests.conftest import EXAMPLES

HOSTILE_TEXT = (
    "Mayor denies report\n"
    'The mayor said <script>alert("x")</script> was found in the council files.\n'
    'Officials said "><img src=x onerror=alert(2)> appeared on the site.\n'
    'A spokesperson said the <a href="javascript:alert(3)">link</a> of the non-public navy is '
    'harmless.\n')


class Page(HTMLParser):
    """Collects the tags, attributes and text a browser would see."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile(rules_pipeline):
    article = Article(id='x"><script>alert(0)</script>', text=HOSTILE_TEXT,
                      title="<script>alert('title')</script>", url="javascript:alert(1)",
                      source='"><img src=y onerror=alert(4)>')
    return rules_pipeline.score_article(article)


def test_article_strings_appear_as_text_never_as_markup(hostile):
    page = Page(render_html(hostile))
    forbidden = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "input", "svg"}
    assert not forbidden & set(page.tags)
    assert not [a for a in page.attrs if a[1].startswith("on") or a[1] in ("src", "srcdoc")]
    hrefs = [value for tag, name, value in page.attrs if name == "href"]
    assert hrefs and all(href.startswith("#s-") for href in hrefs)
    text = "".join(page.text)
    for raw in ('<script>alert("x")</script>', '"><img src=x onerror=alert(2)>',
                '<a href="javascript:alert(3)">link</a>', "<script>alert('title')</script>",
                "javascript:alert(1)", '"><img src=y onerror=alert(4)>'):
        assert raw in text, raw


def test_page_is_self_contained(hostile):
    page = render_html(hostile)
    parsed = Page(page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not [v for _, _, v in parsed.attrs if "//" in v or v.startswith(("http", "data:"))]
    assert "@import" not in page and "url(" not in page


def test_page_shows_the_whole_report(pipeline):
    report = pipeline.score_article(Article("spun", (EXAMPLES / "spun.txt").read_text(encoding="utf-8")))
    page = render_html(report)
    parsed = Page(page)
    text = " ".join(parsed.text)
    assert f"{report.score:.0f}" in text and report.band.upper() in text
    for name, _ in report.components:
        assert name.replace("_", " ") in text
    for entry in report.sources:
        assert entry.who in text
    for flag in report.flags:
        assert flag.message in text
    assert "Machine-paraphrased text: yes" in text and "non-public" not in text
    assert all(item.reason in text for item in report.check_next) and report.check_next
    scored = [s for s in report.sentences if s.source is not None]
    assert parsed.tags.count("details") == len(scored)
    # Labels are words as well as colours, and cue words are marked.
    assert "hedged" in text and "document" in text and "unverified" in text
    assert 'class="c-hedging"' in page and 'class="c-spin"' in page
    # Evidence per sentence: the rules that fired, the model's and the combined score.
    assert "rules that fired" in text and "combined" in text and "model" in text


def test_index_lists_articles_weakest_first():
    entries = [IndexEntry(page_name(i, name), name, f"<{name}>", score, band, False, 0)
               for i, (name, score, band) in enumerate([("a", 80.0, "strong"), ("b", 30.0, "weak"),
                                                       ("c", 55.0, "mixed")])]
    page = render_index(entries)
    hrefs = [v for _, name, v in Page(page).attrs if name == "href"]
    assert hrefs == ["00002-b.html", "00003-c.html", "00001-a.html"]
    assert "&lt;b&gt;" in page


def test_page_names_are_safe():
    assert page_name(0, "../../etc/passwd") == "00001-______etc_passwd.html"
    assert page_name(41, "") == "00042-article.html"


# --- in a real browser ------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser():
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if found is None:
        pytest.skip("no headless browser installed (.ci/run installs Debian's chromium)")
    return found


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytes(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, [row[::channels] for row in rows]  # the red channel is enough


@pytest.mark.parametrize("name", ["well_sourced", "thin", "spun"])
def test_example_page_renders_in_a_headless_browser(name, pipeline, tmp_path):
    browser = _browser()
    report = pipeline.score_article(Article(name, (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")))
    page = tmp_path / f"{name}.html"
    page.write_text(render_html(report), encoding="utf-8")
    shot = tmp_path / f"{name}.png"
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1400"]
    # One run both paints the page into a PNG and prints the DOM it loaded.
    dom = subprocess.run(flags + [f"--screenshot={shot}", "--dump-dom", page.as_uri()],
                         capture_output=True, timeout=120, check=False).stdout.decode("utf-8", "replace")
    assert shot.exists(), "the browser wrote no screenshot"
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1000, 1400)
    dark = sum(1 for row in rows for value in row if value < 160)
    assert dark > 0.01 * width * height, "the page looks blank"
    lines_with_ink = sum(1 for row in rows if min(row) < 160)
    assert lines_with_ink > 0.2 * height
    heading = next(s.sentence.text for s in report.sentences if s.sentence.kind == "heading")
    assert f"<title>credscore: {heading}</title>" in dom
    assert "Machine-paraphrased text" in dom and "Score components" in dom
