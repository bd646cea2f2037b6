"""The one way the portal turns text staff write (news, help, FAQ, alerts) into HTML: Markdown
(CommonMark, raw HTML not passed through) and then sanitised with nh3 (the Ammonia sanitiser),
so links, lists, emphasis and headings survive and nothing active does: no script or style, no
event attributes, no ``javascript:``/``data:`` URLs, whatever tricks the text plays.

Headings are renumbered to sit under the page's own ``<h1>``: the first becomes ``<h2>`` and none
jumps more than one level below the one before it (axe's heading-order rule)."""

import html
from functools import cache

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# Relative links (to the portal's own pages) pass as they are; absolute ones only with these.
URL_SCHEMES = {"http", "https", "mailto", "tel"}
TOP_HEADING = 2
# The help text of every field that holds Markdown.
MARKDOWN_HELP = (
    "Markdown: blank lines separate paragraphs; '- ' starts a list item; '## ' a heading; "
    "[words](https://address) a link. Scripts and HTML are removed."
)  # the page's <h1> is its title


@cache
def _parser() -> MarkdownIt:
    # "html": False escapes raw HTML in the text instead of passing it on; nh3 is the backstop.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _relevel_headings(tokens) -> None:
    previous = TOP_HEADING - 1
    level_of_open: list[int] = []
    for token in tokens:
        if token.type == "heading_open":
            level = min(max(int(token.tag[1]), TOP_HEADING), previous + 1)
            token.tag = f"h{level}"
            level_of_open.append(level)
            previous = level
        elif token.type == "heading_close":
            token.tag = f"h{level_of_open.pop()}"


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a page as it is."""
    parser = _parser()
    tokens = parser.parse(text or "")
    _relevel_headings(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just removed everything active


def markdown_plain_text(text: str) -> str:
    """The words of a Markdown text without its markup (for summaries and list pages)."""
    return html.unescape(strip_tags(render_markdown(text))).strip()
