"""`{% stacked_table %}`: the portal's responsive table (USWDS stacked, in a scroll box) around one
row per item, or a line saying there is none.

    {% load tables %}
    {% stacked_table courses as course empty="No course yet." testid="courses" %}
      <thead><tr><th scope="col">Course</th>…</tr></thead>
    {% row %}
      <th scope="row" data-label="Course">{{ course.title }}</th>…
    {% endstacked_table %}

Options: `empty` (the sentence shown instead of an empty table; nothing when left out), `style`
(classes added to `usa-table usa-table--stacked`), `labelledby` (the heading's id) and `testid`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.utils import flatatt
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class StackedTableNode(template.Node):
    def __init__(
        self,
        rows: FilterExpression,
        name: str,
        options: dict[str, FilterExpression],
        head: NodeList,
        row: NodeList,
    ) -> None:
        self.rows, self.name, self.options, self.head, self.row = rows, name, options, head, row

    def render(self, context: Any) -> SafeString:
        rows = self.rows.resolve(context)
        options = {key: value.resolve(context) for key, value in self.options.items()}
        if not rows:
            return (
                format_html("<p>{}</p>", options["empty"]) if "empty" in options else mark_safe("")
            )
        attrs = {
            "class": " ".join(["usa-table usa-table--stacked", options.get("style", "")]).strip(),
            "aria-labelledby": options.get("labelledby"),
            "data-testid": options.get("testid"),
        }
        out: list[str] = [format_html('<div class="table-scroll">\n<table{}>', flatatt(attrs))]
        out += [self.head.render(context), "<tbody>"]
        for item in rows:
            with context.push({self.name: item}):
                out.append(f"<tr>{self.row.render(context)}</tr>")
        out.append("</tbody>\n</table>\n</div>")
        return mark_safe("\n".join(out))  # each part escaped by its own template or format_html


@register.tag
def stacked_table(parser: Parser, token: Token) -> StackedTableNode:
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "as":
        raise template.TemplateSyntaxError("{% stacked_table rows as row [option=value …] %}")
    options = token_kwargs(bits[4:], parser)
    if len(options) != len(bits[4:]):
        raise template.TemplateSyntaxError("stacked_table options are name=value")
    head = parser.parse(("row",))
    parser.delete_first_token()
    row = parser.parse(("endstacked_table",))
    parser.delete_first_token()
    return StackedTableNode(parser.compile_filter(bits[1]), bits[3], options, head, row)
