"""Staff-written Markdown becomes sanitised HTML: what people need survives, nothing active does."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from core.markdown import ALLOWED_TAGS, markdown_plain_text, render_markdown


class _Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html, source):
    """Only allowed elements, no event or style attribute, no script/data link, no image."""
    for tag, attributes in _Elements(html).found:
        assert tag in ALLOWED_TAGS, (source, html)
        assert not [name for name in attributes if name.startswith("on") or name == "style"]
        href = attributes.get("href", "").strip().lower()
        assert not href.startswith(("javascript:", "vbscript:", "data:")), (source, html)
        assert "src" not in attributes


def test_links_lists_and_headings_are_kept():
    html = render_markdown(
        "## Forms\n\n- [Short Form](https://portal.ct.gov/form.pdf)\n- [Help](/help/)\n\n"
        "1. first\n2. second\n\n**bold** and *em*"
    )
    assert '<a href="https://portal.ct.gov/form.pdf" rel="noopener noreferrer">Short Form</a>' in (
        html
    )
    assert '<a href="/help/" rel="noopener noreferrer">Help</a>' in html
    assert "<ul>" in html and "<ol>" in html and "<li>first</li>" in html
    assert "<h2>Forms</h2>" in html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html


def test_headings_sit_under_the_page_title_without_skipping_levels():
    html = render_markdown("# Title\n\n#### Deep\n\n### Next\n\n# Again")
    assert html.index("<h2>Title</h2>") < html.index("<h3>Deep</h3>") < html.index("<h3>Next</h3>")
    assert "<h2>Again</h2>" in html and "<h1>" not in html and "<h4>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert('x')</script>",
        "<<script>script>alert('x')<</script>/script>",
        "<img src=x onerror=alert('x')>",
        '<a href="#" onclick="alert(\'x\')">click</a>',
        "<svg onload=alert('x')></svg>",
        "<iframe src=javascript:alert('x')></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_raw_html_is_shown_as_text_never_run(text):
    html = render_markdown(text)
    assert_inert(html, text)
    assert "&lt;" in html  # shown as the text it is


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](&#106;avascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[![x](javascript:alert(1))](javascript:alert(2))",
    ],
)
def test_no_link_can_run_script_or_carry_data(link):
    assert_inert(render_markdown(link), link)


def test_template_filters_render_and_strip():
    rendered = Template(
        "{% load portal_markdown %}{{ body|markdown }}|{{ body|markdown_plain }}"
    ).render(Context({"body": "A [link](/help/) & **more** <script>x</script>"}))
    html, plain = rendered.split("|")
    assert '<a href="/help/"' in html and "&lt;script&gt;" in html
    assert plain == "A link &amp; more &lt;script&gt;x&lt;/script&gt;"  # escaped as text once
    assert markdown_plain_text("**Fee** due") == "Fee due"
