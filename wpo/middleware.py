import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


class LanguageMiddleware:
    """Dutch for everyone unless they chose English with the switch in the footer.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many shop-floor
    phones are set to English; the programme's words (deelnemer, werkplekopleider) are Dutch.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class HtmxLoginMiddleware:
    """When a login has run out, an htmx request for a part of a page would get the login page
    swapped into that part. Send the whole browser to the login page instead, and back to the
    page the user was on (not to the address the part was posted to)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or htmx.boosted or response.status_code != 302:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if not response["Location"].startswith(login):
            return response
        back = htmx.current_url_abs_path or "/"
        return HttpResponseClientRedirect(f"{login}?{urlencode({'next': back})}")


class InactivityMiddleware:
    """A login ends after SESSION_COOKIE_AGE without activity. The session's expiry is renewed
    while the user works, at most once every few minutes, so a page view is not a database
    write each time."""

    RENEW_AFTER = 300  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("renewed_at", 0) > self.RENEW_AFTER:
                request.session["renewed_at"] = now  # a change: the session and cookie renew
        return self.get_response(request)


def start_activity_clock(sender, request, user, **kwargs):
    """At login the session is new and written anyway: start the inactivity clock with it."""
    if request is not None and hasattr(request, "session"):
        request.session["renewed_at"] = int(time.time())
