"""Reference data the migrations load (towns, fees) is wiped by any transactional test that ran
earlier in the session (browser tests flush every table); put it back before each test."""

from importlib import import_module

import pytest
from django.apps import apps


def load_reference_data():
    import_module("organizations.migrations.0003_connecticut_towns").load_towns(apps, None)
    import_module("payments.migrations.0002_initial_fees").add_fees(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(db):
    load_reference_data()
