"""{% stacked_table %} and form|fields: the shared table and field markup."""

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError

TABLE = (
    "{% load tables %}"
    '{% stacked_table items as item empty="Nothing yet." style="width-full" testid="t" %}'
    "<thead><tr><th>Name</th></tr></thead>{% row %}<td>{{ item }}</td>{% endstacked_table %}"
)


def test_one_row_per_item_in_the_scroll_box():
    html = Template(TABLE).render(Context({"items": ["a", "<b>"]}))
    assert '<div class="table-scroll">' in html
    assert '<table class="usa-table usa-table--stacked width-full" data-testid="t">' in html
    assert "<tbody>\n<tr><td>a</td></tr>\n<tr><td>&lt;b&gt;</td></tr>\n</tbody>" in html
    assert "Nothing yet." not in html


def test_the_empty_sentence_instead_of_an_empty_table():
    html = Template(TABLE).render(Context({"items": []}))
    assert html == "<p>Nothing yet.</p>"
    bare = TABLE.replace(' empty="Nothing yet."', "")
    assert Template(bare).render(Context({"items": []})) == ""


def test_a_malformed_table_tag_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load tables %}{% stacked_table items %}{% row %}{% endstacked_table %}")


class ContactForm(forms.Form):
    email = forms.EmailField()
    phone = forms.CharField(required=False)
    city = forms.CharField()


def test_fields_renders_the_named_fields_in_order_with_their_errors():
    form = ContactForm(data={"email": "nope", "city": "Hartford"})
    html = Template(
        '{% load form_fields %}{% include "includes/fields.html" with fields=form|fields:"city email" %}'
    ).render(Context({"form": form}))
    assert html.index('for="id_city"') < html.index('for="id_email"')
    assert "id_phone" not in html
    assert 'id="id_email-error"' in html
