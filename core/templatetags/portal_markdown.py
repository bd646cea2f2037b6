"""``{{ text|markdown }}``: staff-written Markdown as sanitised HTML; ``{{ text|markdown_plain }}``:
its words alone, for summaries (core.markdown)."""

from django import template

from core.markdown import markdown_plain_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="markdown_plain")
def markdown_plain_filter(text):
    return markdown_plain_text(text)
