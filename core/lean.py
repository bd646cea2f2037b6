"""The lean path of a hot public page (the /verify/ page): the page's frame (base.html: banner,
navigation, footer) is the same for every visitor without a session or messages, so each worker
renders it once and splices the page's own content into it; the content is rendered on every
request, without the request context (it needs none).

    return render_framed(request, "providers/verify_frame.html", "providers/verify.html",
                         {"form": form, "results": results})

The frame template puts ``{{ lean_content }}`` where the content goes. A caller that can name
everything its content shows passes ``content_key`` (for /verify/: the words asked, each result's
shown fields and the day its status is computed for) and the worker keeps the last
``CONTENT_ENTRIES`` contents by key: a key that differs in anything shown is another entry, so
an entry is never out of date, only unused. A signed-in visitor, or
one with a session or a message waiting, gets the frame rendered for them as before. A settings
change (tests) drops the frames.

A content not yet in the worker is looked up in the shared cache (Redis) before it is
rendered, and stored there once rendered, so a page rendered by one worker serves every worker
and every server: with five workers a number looked up for the first time was otherwise rendered
five times over (the form's fields are most of a page's rendering), which cost the page a third
of its throughput under load (docs/performance.md). The shared key is the same content key
(hashed) plus a fingerprint of the templates, so another release never serves an older page.

What else the frame shows that can change (the site-wide alerts showing now, the office's
contact details in the footer) is named by the app that owns it with ``vary_frame_by(fn)``:
``fn(request)`` returns a hashable that changes when that part of the frame does, and the frame
is kept per value, so a new alert shows on the lean page at once.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

MARKER = mark_safe("<!--lean-content-->")
CONTENT_ENTRIES = 2048
# How long a rendered content stays in the shared cache (a key never goes out of date, so this
# only bounds the memory of contents nobody asks for again).
SHARED_CONTENT_SECONDS = 15 * 60
FRAME_ENTRIES = 64
_frames: dict[tuple, str] = {}
_frame_keys: list[Callable[[HttpRequest], Hashable]] = []


def vary_frame_by(key: Callable[[HttpRequest], Hashable]) -> Callable[[HttpRequest], Hashable]:
    """Keep the frame per value of ``key(request)`` (see the module's docstring)."""
    _frame_keys.append(key)
    return key


_contents: OrderedDict[tuple, str] = OrderedDict()


def is_plain_visitor(request) -> bool:
    """No session cookie and no message cookie: anonymous, nothing waiting to be shown."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def render_framed(
    request,
    frame_template: str,
    content_template: str,
    context: dict,
    *,
    status: int = 200,
    content_key: Hashable = None,
) -> HttpResponse:
    content = _content(content_template, context, content_key)
    if is_plain_visitor(request):
        frame_key = (frame_template, *(key(request) for key in _frame_keys))
        frame = _frames.get(frame_key)
        if frame is None:
            if len(_frames) >= FRAME_ENTRIES:
                _frames.clear()
            frame = _frames[frame_key] = render_to_string(
                frame_template, {"lean_content": MARKER}, request
            )
        html = frame.replace(MARKER, content, 1)
    else:
        html = render_to_string(frame_template, {"lean_content": mark_safe(content)}, request)
    return HttpResponse(html, status=status)


def _content(template: str, context: dict, key: Hashable) -> str:
    if key is None:
        return render_to_string(template, context)
    key = (template, key)
    content = _contents.get(key)
    if content is None:
        shared_key = _shared_key(key)
        content = shared_cache.get(shared_key)
        if content is None:
            content = render_to_string(template, context)
            shared_cache.set(shared_key, content, SHARED_CONTENT_SECONDS)
        _contents[key] = content
        if len(_contents) > CONTENT_ENTRIES:
            _contents.popitem(last=False)
    else:
        _contents.move_to_end(key)
    return content


def _shared_key(key: tuple) -> str:
    # repr() of the key's parts (strings, numbers, dates, tuples) is the same in every process.
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    return f"lean:{templates_fingerprint()}:{digest}"


@cache
def templates_fingerprint() -> str:
    """A hash of every project template's text: another release (any template changed) has
    another fingerprint. Read once per worker."""
    digest = hashlib.sha256()
    template_settings: dict = settings.TEMPLATES[0]
    for directory in map(Path, template_settings.get("DIRS", [])):
        for path in sorted(directory.rglob("*.html")):
            digest.update(str(path.relative_to(directory)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _forget_frames(**kwargs) -> None:
    _frames.clear()
    _contents.clear()
    templates_fingerprint.cache_clear()


setting_changed.connect(_forget_frames, dispatch_uid="core.lean")
