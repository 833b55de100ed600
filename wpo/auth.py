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


def second_step_held_until(device):
    """Until when wrong codes in the second step hold the owner back, or None.

    django-otp doubles the wait after each wrong code (1, 2, 4 … seconds), without end: after
    twenty it is a week. Here the doubling stops before the wait passes the login lockout, so
    someone with the password who types codes at random cannot hold the owner out longer than
    wrong passwords would."""
    factor = device.get_throttle_factor()
    if factor > 0:
        # the most wrong codes that django-otp's wait (factor · 2^(n-1)) keeps within the lockout
        most = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // factor).bit_length())
        if device.throttling_failure_count > most:
            device.throttling_failure_count = most
            device.save(update_fields=["throttling_failure_count"])
    allowed, details = device.verify_is_allowed()
    return None if allowed else details.get("locked_until")
