import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

from wpo import access
from wpo.models import Role


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
        return HttpResponseClientRedirect(f"{login}?{_next(back)}")


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
            if (
                now - request.session.get("logged_in_at", now)
                > settings.WPO_SESSION_MAX_HOURS * 3600
            ):
                logout(request)  # however busy: log in again at least this often
                return redirect_to_login(request.get_full_path())
            if now - request.session.get("renewed_at", 0) > self.RENEW_AFTER:
                request.session["renewed_at"] = now  # a change: the session and cookie renew
                if request.session.get("second_factor") is False:
                    del request.session["second_factor"]
        return self.get_response(request)


def at_login(sender, request, user, **kwargs):
    """At login the session is new and written anyway: start the inactivity clock, and note
    whether this login needs the second step, so no page has to ask again."""
    if request is not None and hasattr(request, "session"):
        request.session["renewed_at"] = request.session["logged_in_at"] = int(time.time())
        request.session["second_factor"] = TwoFactorMiddleware.needed_for(user)


class TwoFactorMiddleware:
    """Who has an authenticator app linked gives its code after the password, once per login;
    with WPO_REQUIRE_2FA, coaches, the project manager and administrators must link one."""

    # pages that work without the second step: logging in and out, the step itself, and what
    # needs no login at all
    OPEN = {
        "login",
        "logout",
        "two_factor",
        "health",
        "privacy",
        "set_language",
        "certificates:verify",
        "trajects:calendar_feed",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.user.is_verified()
            and self._needed(request)  # a session lookup: first, so most requests stop here
            and not self._open(request.path_info)
        ):
            htmx = getattr(request, "htmx", None)
            if htmx and not htmx.boosted:  # a part of a page: send the whole page
                back = htmx.current_url_abs_path or "/"
                return HttpResponseClientRedirect(f"{resolve_url('two_factor')}?{_next(back)}")
            return redirect(f"{resolve_url('two_factor')}?{_next(request.get_full_path())}")
        return self.get_response(request)

    def _open(self, path) -> bool:
        try:
            return resolve(path).view_name in self.OPEN
        except Resolver404:
            return True  # the 404 page

    @staticmethod
    def needed_for(user) -> bool:
        required = settings.WPO_REQUIRE_2FA and (
            user.is_superuser or access.has_role(user, Role.COACH, Role.PROJECT_MANAGER)
        )
        return required or user_has_device(user)

    def _needed(self, request) -> bool:
        """Decided at login (`at_login`) and kept in the session: no query on every page. A
        "no" is asked again when the session renews (a new role, a linked app, the setting)."""
        if "second_factor" not in request.session:
            request.session["second_factor"] = self.needed_for(request.user)
        return request.session["second_factor"]


def _next(path: str) -> str:
    return urlencode({"next": path})


class QueryCountMiddleware:
    """The number of database queries behind an answer, in its X-Queries header, for the
    benchmark (`WPO_BENCH`). A streamed answer counts those made before its first byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Queries"] = str(queries)
        return response
