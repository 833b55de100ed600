"""A registration of interest (phase 1) after it was made: corrected when something was
written down wrong, or withdrawn when the employee no longer wants to take part. Both only
while it waits: a started trajectory has its own steps. Each is in the history, with who did it
and why, and in the audit log."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trajects.models import Interest, Trajectory
from wpo import audit
from wpo.models import AuditAction, Person
from wpo.services import not_in_future, refuse, save, write

# the history keeps a reason in a column of this size
REASON_LIMIT = 100


def _waiting(interest: Interest) -> Interest:
    """The registration as stored now, locked, and still waiting."""
    interest = Interest.objects.select_for_update().select_related("person").get(pk=interest.pk)
    if interest.is_dealt_with:
        refuse(_("This registration has already been dealt with."))
    return interest


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        refuse(_("Say why, so others know later."), "reason")
    return reason


def _check_employee_number(person: Person, employee_number: str):
    if not employee_number or employee_number == person.employee_number:
        return
    others = Person.objects.filter(employee_number=employee_number).exclude(pk=person.pk)
    if others.exists():
        refuse(_("This employee number belongs to someone else."), "employee_number")


def _check_known_before(person: Person, interest: Interest):
    """A person known from before (found by their employee number) is someone else's too: a
    new name or number here would change it on their earlier registrations and trajectories."""
    earlier = Interest.objects.filter(person=person).exclude(pk=interest.pk)
    if earlier.exists() or Trajectory.objects.filter(participant=person).exists():
        refuse(
            _(
                "This employee is known from before, so their name and number stay as they "
                "are. Was the wrong employee registered? Withdraw this registration and "
                "register again."
            )
        )


@transaction.atomic
def correct_interest(
    interest: Interest,
    *,
    reason: str,
    first_name: str,
    last_name: str,
    infix: str = "",
    employee_number: str = "",
    supervisor: Person | None = None,
    wish: str = "",
    registered_on: datetime.date,
    by=None,
) -> Interest:
    """What was written down wrong, made right: the employee's name and number, the
    supervisor, the wish, the date. The department stays: a registration in the wrong
    department is withdrawn and made again there, by who takes intakes there."""
    interest = _waiting(interest)
    reason = _check_reason(reason)
    not_in_future(registered_on, "registered_on")
    person = Person.objects.select_for_update().get(pk=interest.person_id)
    named = (first_name, infix, last_name, employee_number)
    if named != (person.first_name, person.infix, person.last_name, person.employee_number):
        _check_known_before(person, interest)
    _check_employee_number(person, employee_number)
    person._change_reason = reason
    write(
        person,
        first_name=first_name,
        infix=infix,
        last_name=last_name,
        employee_number=employee_number,
    )
    save(person, ["first_name", "infix", "last_name", "employee_number"], by=by)
    interest._change_reason = reason
    write(interest, supervisor=supervisor, wish=wish, registered_on=registered_on)
    save(interest, ["supervisor", "wish", "registered_on"], by=by)
    audit.record(AuditAction.REGISTRATION_CORRECTED, user=by, obj=interest)
    return interest


@transaction.atomic
def withdraw_interest(
    interest: Interest, *, reason: str, on: datetime.date | None = None, by=None
) -> Interest:
    """The employee no longer waits to start: off the waiting list, and so off every list,
    count and invitation of people waiting; the registration itself stays, with the reason."""
    interest = _waiting(interest)
    reason = _check_reason(reason)
    on = on or timezone.localdate()
    not_in_future(on, "withdrawn_on")
    if on < interest.registered_on:
        refuse(_("This date is before the registration."), "withdrawn_on")
    interest._change_reason = reason[:REASON_LIMIT]
    write(interest, withdrawn_on=on, withdrawn_reason=reason)
    save(interest, ["withdrawn_on", "withdrawn_reason"], by=by)
    audit.record(AuditAction.REGISTRATION_WITHDRAWN, user=by, obj=interest)
    return interest
