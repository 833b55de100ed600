import datetime
import sys
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpo import access, audit
from wpo.auth import second_step_held_until
from wpo.models import AuditAction


@require_GET
@login_required
def home(request):
    url_name = access.home_url_name(request.user)
    if url_name is None:
        return render(request, "wpo/no_role.html", status=403)
    return redirect(url_name)


class LogoutView(auth_views.LogoutView):
    """Logging out also empties the device: the pages kept for reading offline, the drafts and
    the outbox on a shared or lost phone hold participants' personal data."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@require_GET
def privacy(request):
    """What the app keeps about people, why, who sees it and for how long. Open to all:
    participants have no login, and may read it before they register."""
    return render(request, "wpo/privacy.html", {"retention_years": settings.WPO_RETENTION_YEARS})


@require_GET
@never_cache
def health(request):
    """For the load balancer and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


THEME_COLOUR = "#0b6e4f"  # --brand in static/css/app.css


@require_GET
def web_manifest(request):
    """So a trainer can put "WPO" on the home screen of their phone. Public: browsers fetch it
    without the login cookie. A view, not a static file, so the icons carry their hashed names."""
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    manifest = {
        "name": "WPO",
        "short_name": "WPO",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#f4f6f8",  # --ground
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


LINKING = "linking_device"
MINUTE = datetime.timedelta(minutes=1)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request):
    """The second step of logging in: the code from an authenticator app. Without a linked
    app, this page links one (a QR code to scan, or the key to type), confirmed by a code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    linking = device is None
    if linking:
        device = _device_being_linked(request)
    held_until = second_step_held_until(device)
    form = CodeForm(request.POST or None)
    # while held, a code is not even tried: trying would count as one more wrong code
    if held_until is None and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            if linking:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                request.session.pop(LINKING, None)
                audit.record(AuditAction.APP_LINKED, user=request.user)
                messages.success(request, _("Two-step login is on: from now on you give a code."))
            request.session.cycle_key()  # a new session id for the verified login
            otp_login(request, device)
            request.session["second_factor"] = True
            return redirect(_safe_next(request))
        form.add_error("code", _("This code is not right. Type the code the app shows now."))
        audit.record(AuditAction.SECOND_STEP_FAILED, user=request.user)
    context = {"form": form, "linking": linking}
    if held_until:
        # the minute after: "om 14:36" is never a moment the owner is still held
        context["try_again_at"] = held_until.replace(second=0, microsecond=0) + MINUTE
    if linking:
        context["qr"] = segno.make(device.config_url).svg_data_uri(scale=5)
        key = b32encode(device.bin_key).decode()
        context["key"] = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    status = 429 if held_until and form.is_bound else 422 if form.errors else 200
    return render(request, "registration/two_factor.html", context, status=status)


def _device_being_linked(request) -> TOTPDevice:
    """A fresh secret for every linking that is started (a GET), kept for this session only:
    a key someone else saw on this page once is worthless by the time the owner links."""
    unconfirmed = TOTPDevice.objects.filter(user=request.user, confirmed=False)
    if request.method == "POST":
        device = unconfirmed.filter(pk=request.session.get(LINKING)).first()
        if device:
            return device
    unconfirmed.delete()
    device = TOTPDevice.objects.create(user=request.user, name="WPO", confirmed=False)
    request.session[LINKING] = device.pk
    return device


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("home")


def server_error(request):
    """The page for any uncaught error (handler500), wherever it was raised: a view, a
    middleware, the session. A database that is down or locked is no bug: the user may try again
    in a minute (503). Neither page asks the database anything, not even who is logged in."""
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return defaults.server_error(request)


def _database_unavailable(error) -> bool:
    """Down or locked, not a defect: SQLite reports a missing table, and PostgreSQL a bad query
    plan, as an OperationalError too, and those must stay 500s that someone looks at."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if "locked" in str(error):
        return True
    try:
        with connection.temporary_connection() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False
