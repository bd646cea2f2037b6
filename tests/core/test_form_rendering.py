"""Public forms' widgets carry the USWDS classes; the admin's widgets keep Django's own markup."""

import re

import pytest
from django import forms

from accounts import roles
from core.models import News

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    name = forms.CharField()
    agree = forms.BooleanField()
    kind = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


def test_a_form_outside_the_admin_gets_uswds_classes():
    html = str(_Form())
    assert 'class="usa-input"' in html
    assert 'class="usa-checkbox__input"' in html
    assert 'class="usa-radio__input"' in html


def test_public_pages_render_uswds_widgets(client):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(
        r'<input[^>]*name="login"[^>]*class="usa-input"|<input[^>]*class="usa-input"[^>]*name="login"',
        html,
    )


def test_admin_widgets_keep_djangos_markup(staff_client):
    client = staff_client(roles.SUPERVISOR)
    news = News.objects.create(title="Post", slug="post", body="Body")

    changelist = client.get("/admin/core/news/").content.decode()
    checkbox = re.search(r'<input[^>]*name="_selected_action"[^>]*>', changelist).group(0)
    assert 'class="action-select"' in checkbox
    assert "usa-" not in changelist

    change = client.get(f"/admin/core/news/{news.pk}/change/").content.decode()
    assert 'class="vTextField"' in change
    assert "usa-" not in change


def test_public_forms_are_uswds_again_after_an_admin_request(client, staff_client):
    staff = staff_client(roles.SUPERVISOR)
    assert "usa-" not in staff.get("/admin/core/news/add/").content.decode()
    assert 'class="usa-input"' in staff.get("/verify/").content.decode()
