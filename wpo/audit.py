"""The audit trail: `record()` writes who did what to which record (by id), in the database and
as one line in the application log with ids only, never names or contents."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from wpo.models import AuditAction, AuditEvent

log = logging.getLogger("wpo.audit")


def record(action: str, *, user=None, obj=None) -> AuditEvent:
    user = user if user is not None and user.is_authenticated else None
    event = AuditEvent.objects.create(
        action=action,
        user=user,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    )
    log.info(
        "action=%s user=%s object=%s:%s",
        action,
        user.pk if user else "-",
        event.object_type or "-",
        event.object_id or "-",
    )
    return event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    """The attempt is tied to the login it names, if there is one; a mistyped name is not
    stored, since it may be someone's name."""
    username = credentials.get("username") or ""
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(AuditAction.LOGIN_FAILED, user=user)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(AuditAction.LOCKED_OUT, user=user)
