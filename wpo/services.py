"""What every app's services share: the refusal a user reads, the check against overwriting
someone else's save, and the save after the model's own checks.

A step runs in a transaction, checks its rules and raises `StepRefused` with a message for the
user when a rule says no; views only parse input, call a step and show the result or the
message. A message given per field (a dict) lands at that field of the form."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wpo.models import Versioned


class StepRefused(ValidationError):
    """The method does not allow this step now; the message says why."""


class EditConflict(StepRefused):
    """Someone else saved the row after this form was loaded: saving would overwrite their
    work unseen. `saved` is the row as stored now and `fields` the ones the form edits, so the
    page shows what they stored next to what was typed."""

    def __init__(self, saved: Versioned, fields=()):
        super().__init__(
            _(
                "Someone else saved this while you were working on it. What they saved is "
                "shown here; what you typed is still in the form. Take over what you need and "
                "save again."
            )
        )
        self.saved, self.fields = saved, tuple(fields)


def check_version(row: Versioned, version: int | None, fields=()):
    """Refuse a save from a form loaded before the row's last save. Without a version (a page
    loaded before versions existed) the save goes ahead, as it did then."""
    if version is not None and version != row.version:
        raise EditConflict(row, fields)


def refuse(message, field=None):
    raise StepRefused({field: message} if field else message)


def why_not(check, *args) -> str:
    """What a step's own check (`check(*args)`) refuses now, in its words, or '' when the step
    may be taken: a page asks it before it offers the step."""
    try:
        check(*args)
    except StepRefused as refusal:
        return " ".join(refusal.messages)
    return ""


def not_in_future(day: datetime.date, field: str):
    if day > timezone.localdate():
        refuse(_("This date is in the future."), field)


def write(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)


def save(instance, update_fields=None, *, by=None):
    """Save after the model's own checks; what they refuse is refused like any step. A new row
    gets every check, cross-row rules included. A change of some fields gets the checks of
    those fields: a trajectory can still be stopped after its trainer moved on. `by` is the
    login the history records."""
    try:
        if update_fields is None:
            instance.full_clean()
        else:
            others = [f.name for f in instance._meta.fields if f.name not in update_fields]
            instance.clean_fields(exclude=others)
            instance.validate_constraints(exclude=others)
    except ValidationError as error:
        messages = error.error_dict if hasattr(error, "error_dict") else error.error_list
        raise StepRefused(messages) from error
    if isinstance(instance, Versioned) and not instance._state.adding:
        # every step reads a versioned row under a lock (its own or its trajectory's), so
        # counting up here cannot lose a save
        instance.version += 1
        if update_fields is not None:
            update_fields = [*update_fields, "version"]
    if by is not None:
        instance._history_user = by
    instance.save(update_fields=update_fields)
    return instance
