"""The public frame: home with news, news pages, the public index, the API schema and docs."""

import io

import pytest
from django.core.management import call_command

from core.models import News

pytestmark = pytest.mark.django_db


def test_home_lists_published_news_only(client):
    News.objects.create(title="Visible post", slug="visible", body="Body")
    News.objects.create(title="Draft post", slug="draft", body="Body", is_published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Visible post" in response.content
    assert b"Draft post" not in response.content


def test_unpublished_news_is_not_found(client):
    News.objects.create(title="Draft", slug="draft", body="Body", is_published=False)
    assert client.get("/news/draft/").status_code == 404


def test_news_api_is_public_and_paginated(client):
    News.objects.create(title="One", slug="one", body="Body")
    response = client.get("/api/v1/news/")
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == ["one"]


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert b"/api/v1/news/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_dashboard_needs_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)  # as the command runs: autocommit, on-commit hooks fire
def test_seed_demo_is_idempotent():
    from accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    users, news = User.objects.count(), News.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), News.objects.count()) == (users, news)
    assert User.objects.filter(email="reviewer@example.com", is_staff=True).exists()
