"""A person's own notices: the list, and one notice (404 unless it was sent to them)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors

PER_PAGE = 20


@login_required
def notice_list(request):
    page = Paginator(selectors.notices_received(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notices/list.html", {"page": page})


@login_required
def notice_detail(request, pk: int):
    delivery = selectors.notice_received(request.user, pk)
    if delivery is None:
        raise Http404("No such notice.")
    return render(request, "notices/detail.html", {"delivery": delivery})
