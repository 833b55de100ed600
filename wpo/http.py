"""What every app's views share: the status of a form that comes back with its messages, a
service's step called from a form, htmx's partial requests, and a PDF to download."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from wpo import audit
from wpo.forms import add_refusal
from wpo.models import AuditAction

INVALID = 422  # htmx is configured to swap it, so the form comes back with its messages


def run_step(form, step, *args, **kwargs):
    """Call a service; a refusal lands on the form. The result, or None when refused."""
    try:
        return step(*args, **kwargs)
    except ValidationError as error:
        add_refusal(form, error)
        return None


def posted_from(page: str, anchor: str = ""):
    """A save posted from the form on `page` (a URL name taking the same pk). A refused plain
    POST answers at the save's own address; reloading or revisiting that address later is a GET,
    which goes back to the form on its page instead of a blank 405."""

    def decorator(view):
        @wraps(view)
        def posted_only(request, pk):
            if request.method in ("GET", "HEAD"):
                return redirect(reverse(page, args=[pk]) + (f"#{anchor}" if anchor else ""))
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "POST"])
            return view(request, pk)

        return posted_only

    return decorator


def wants_part(request) -> bool:
    """An htmx request for a part of the page; a boosted link or the back button (history
    restore) gets the whole page."""
    return bool(request.htmx) and not (request.htmx.boosted or request.htmx.history_restore_request)


def pdf_response(
    request, make, filename: str, *, fallback: str, about=None, action=AuditAction.DOWNLOAD
) -> HttpResponse:
    """The PDF that `make()` returns, as a download written in the audit log (`action` on
    `about`). Where WeasyPrint lacks its system libraries, back to `fallback` with a message to
    print the page instead."""
    try:
        pdf = make()
    except OSError:
        messages.error(request, _("A PDF cannot be made on this server; print the page."))
        return redirect(fallback)
    audit.record(action, user=request.user, obj=about)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
