"""core.routes: URL tables build the same patterns and names as hand-written path() calls."""

import pytest
from django.urls import reverse
from rest_framework.views import APIView

from core.routes import collection, named, pages, read_only


def news_index(request):
    raise AssertionError("not called")


class ThingApi(APIView):
    pass


def test_pages_names_a_function_view_after_itself_and_keeps_order():
    found = pages({"news/": news_index, "files/<int:pk>/": named("file", news_index)}, prefix="x/")
    assert [(str(p.pattern), p.name) for p in found] == [
        ("x/news/", "news-index"),
        ("x/files/<int:pk>/", "file"),
    ]


def test_a_class_view_needs_a_name_and_is_made_a_view():
    with pytest.raises(ValueError, match="ThingApi"):
        pages({"things/": ThingApi})
    (found,) = pages({"things/": named("api-things", ThingApi)})
    assert found.callback.view_class is ThingApi


def test_collection_builds_list_detail_and_actions():
    found = collection("things/", "api-thing", ThingApi, ThingApi, close=ThingApi)
    assert [(str(p.pattern), p.name) for p in found] == [
        ("things/", "api-things"),
        ("things/<int:pk>/", "api-thing"),
        ("things/<int:pk>/close/", "api-thing-close"),
    ]


def test_the_portal_keeps_its_url_names():
    assert reverse("complaints:file") == "/complaints/file/"
    assert reverse("api-complaint-notes", args=[3]) == "/api/v1/complaints/3/notes/"
    assert reverse("providers:renewal-action", args=[5, "submit"]) == (
        "/providers/renewals/5/submit/"
    )
    assert reverse("providers-my-initial-applications") == (
        "/api/v1/providers/me/initial-applications/"
    )
    assert reverse("vehicles:inspection-answer", args=[1, 2]) == "/staff/inspections/1/answers/2/"


def test_read_only_gives_a_viewsets_list_and_detail():
    from rest_framework.viewsets import ReadOnlyModelViewSet

    class ThingsApi(ReadOnlyModelViewSet):
        pass

    listed, one = collection("things/", "api-thing", *read_only(ThingsApi))
    assert (listed.name, listed.callback.actions) == ("api-things", {"get": "list"})
    assert (one.name, one.callback.actions) == ("api-thing", {"get": "retrieve"})
