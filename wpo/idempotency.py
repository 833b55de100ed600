"""One-time tokens on forms, so a form posted twice is carried out once.

A phone on a bad connection double-taps "Opslaan", a browser or htmx retries a post whose answer
got lost, two posts of the same form arrive at the same moment: each form carries a fresh token
(`{% submission_token %}`), and a view marked `@idempotent` first claims that token for the user,
in the same transaction as the view's own work. A repeat of the token gets the answer the first
post got (its status, Location, HX-* headers and body: for htmx the swapped HTML), without
running the view again. The participant has no login: on their own pages (opened with their
personal link) the token is claimed for their session instead.

The claim is a row under a unique (user or session, token) constraint, inserted before the view
runs and committed with it. A duplicate arriving meanwhile waits for that commit: on PostgreSQL its
insert blocks on the uncommitted row, then fails, and it reads the stored answer; on SQLite the
transaction begins IMMEDIATE, so it waits for the write lock and then finds the row. Only answers
that succeeded (2xx, 3xx) are kept: a refused form (422), a conflict or an error rolls the claim
back, so the corrected form may be posted again with the same token. A post without a token (a
page loaded before tokens existed, a test) is carried out as before, unprotected.
"""

import datetime
import hashlib
import math
import secrets
import time
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from wpo.models import Submission

TOKEN_FIELD = "submission_token"
TOKEN_LENGTH = 64  # the column; a longer value was not made by us and is ignored
# Long enough for any retry or a phone that was put away with the form open; short, because a
# stored answer holds what was typed.
KEPT_FOR = datetime.timedelta(hours=24)
REPLAYED_HEADERS = {"location", "content-type"}  # and every HX-* header
PRUNE_EVERY_SECONDS = 60
_pruned_at = -math.inf  # time.monotonic() of this process's last prune


def new_token() -> str:
    return secrets.token_urlsafe(24)


def idempotent(view):
    """Carry out a post once per token; its repeats get the first answer. Put it closest to
    the view, under the access decorators: who may not post never claims a token."""

    @wraps(view)
    def carried_out_once(request, *args, **kwargs):
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        poster = _poster(request)
        if not token or len(token) > TOKEN_LENGTH or poster is None:
            return view(request, *args, **kwargs)
        _prune()
        with transaction.atomic():
            claim, answered = _claim(poster, token)
            if answered:
                return _replay(answered)
            response = view(request, *args, **kwargs)
            if not _succeeded(response):
                claim.delete()
                return response
            later = isinstance(response, AnswerAfterCommit)
            _remember(claim, response.provisional if later else response)
        if later:
            _remember(claim, response.render())
        return response

    carried_out_once.idempotent = True
    return carried_out_once


class AnswerAfterCommit(HttpResponse):
    """An answer that `draw()` makes once the post's transaction has committed (see above);
    until then a repeat of the token gets `provisional`: by default, for htmx, the page drawn
    again, which shows what was saved. Without `@idempotent`, Django draws it as it draws a
    TemplateResponse, before the middleware sees the answer."""

    def __init__(self, draw, provisional=None):
        super().__init__()
        self.draw = draw
        self.provisional = provisional or HttpResponse(headers={"HX-Refresh": "true"})
        self.drawn = False

    def render(self):
        if not self.drawn:
            self.content = self.draw()
            self.drawn = True
        return self


def _prune():
    """Remove the expired answers, at most once a minute per process. Here, in a short
    statement of its own: no cron to forget, and kept out of the claim's transaction, where on
    PostgreSQL concurrent posts would queue on the same expired rows. Not on every post: on
    SQLite each prune takes the write lock, and eight phones saving at once then queued twice
    per save. (A token whose answer expired is claimed anew in `_claim`, pruned or not.)"""
    global _pruned_at
    if time.monotonic() - _pruned_at < PRUNE_EVERY_SECONDS:
        return
    _pruned_at = time.monotonic()
    Submission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()


def _poster(request) -> dict | None:
    """Whom the token is kept for: the login, or without one the session, which the access
    decorators above let through only on the participant's own pages. None: no session yet."""
    if request.user.is_authenticated:
        return {"user": request.user}
    key = request.session.session_key
    if not key:
        return None
    return {"user": None, "session": hashlib.sha256(key.encode()).hexdigest()}


def _claim(poster, token):
    """(the new claim, None), or (None, the stored answer) when the token was used already.
    Waits for a post of the same token still in progress."""
    try:
        with transaction.atomic():
            return Submission.objects.create(**poster, token=token), None
    except IntegrityError:
        answered = Submission.objects.get(**poster, token=token)
    if answered.created_at < timezone.now() - KEPT_FOR:
        answered.delete()  # expired, and not pruned yet (`_prune`): a post of its own
        return _claim(poster, token)
    return None, answered


def _succeeded(response) -> bool:
    return 200 <= response.status_code < 400 and not response.streaming


def _remember(claim, response):
    claim.status = response.status_code
    claim.headers = {
        name: value
        for name, value in response.items()
        if name.lower() in REPLAYED_HEADERS or name.lower().startswith("hx-")
    }
    claim.body = response.content
    claim.save(update_fields=["status", "headers", "body"])


def _replay(answered) -> HttpResponse:
    response = HttpResponse(bytes(answered.body), status=answered.status)
    for name, value in answered.headers.items():
        response[name] = value
    return response
