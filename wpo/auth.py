from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginThrottle(AxesStandaloneBackend):
    """django-axes' lockout, for logins over the web. A login without a request (a management
    command, a script on the server) has nobody to throttle; axes itself would refuse it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def locked_out(request, credentials, *args, **kwargs):
    """The page after too many wrong passwords, in Dutch, with the time to wait."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
