"""``in`` on integer columns with numbers the column cannot hold (core.lookups): no match,
never an overflow from the database."""

import pytest
from django import forms

from organizations.models import Town

pytestmark = pytest.mark.django_db

TOO_BIG = 10**20


def test_out_of_range_values_match_nothing_and_the_rest_still_match():
    hartford = Town.objects.get(name="Hartford")
    assert list(Town.objects.filter(pk__in=[TOO_BIG])) == []
    assert list(Town.objects.filter(pk__in=[-TOO_BIG, str(TOO_BIG)])) == []
    assert list(Town.objects.filter(pk__in=[TOO_BIG, hartford.pk])) == [hartford]
    assert Town.objects.exclude(pk__in=[TOO_BIG]).count() == 169


def test_a_multiple_choice_of_rows_given_a_20_digit_id_is_a_form_error():
    field = forms.ModelMultipleChoiceField(queryset=Town.objects.all())
    with pytest.raises(forms.ValidationError, match="not one of the available choices"):
        field.clean([str(TOO_BIG)])
