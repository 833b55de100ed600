"""Every change to a trajectory and what belongs to it, from django-simple-history: who changed
what, when, from which value to which. One query per kind of record, however long the history."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajects.models import (
    AssignmentProgress,
    CallOff,
    FloorNote,
    GuidanceConversation,
    Pause,
    Trajectory,
    TrajectorySkill,
)
from wpo.models import Person

# (model, path from its history rows to the trajectory)
TRACKED = [
    (Trajectory, "id"),
    (TrajectorySkill, "trajectory_id"),
    (AssignmentProgress, "trajectory_skill__trajectory_id"),
    (GuidanceConversation, "trajectory_id"),
    (FloorNote, "trajectory_id"),
    (Pause, "trajectory_id"),
]
# not kept in history: the version, and the clock dates, which follow from what is
UNSHOWN = {"id", "created_at", "updated_at", "version", *Trajectory.CLOCK_FIELDS}
ACTIONS = {"+": gettext_lazy("added"), "~": gettext_lazy("changed"), "-": gettext_lazy("removed")}
SHORT = 120
REASONS = dict(CallOff.choices)


@dataclass
class Change:
    when: datetime.datetime
    who: str
    kind: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


def _shown(row, model_field, names) -> str:
    if model_field.is_relation:
        key = getattr(row, model_field.attname)
        if key is None:
            return "—"
        return names.get(key, _("(changed)")) if model_field.related_model is Person else "…"
    value = getattr(row, model_field.name)
    if model_field.choices:
        value = getattr(row, f"get_{model_field.name}_display")()
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= SHORT else f"{text[:SHORT]}…"


def _differences(model, before, after, names) -> list[tuple[str, str, str]]:
    return [
        (
            str(model_field.verbose_name),
            _shown(before, model_field, names),
            _shown(after, model_field, names),
        )
        for model_field in model._meta.fields
        if model_field.name not in UNSHOWN
        and getattr(before, model_field.attname) != getattr(after, model_field.attname)
    ]


def _who(row) -> str:
    user = row.history_user
    if user is None:
        return _("the system")
    person = getattr(user, "person", None)
    return person.full_name if person else user.get_username()


def changes(trajectory) -> list[Change]:
    histories = [
        (
            model,
            list(
                model.history.filter(**{path: trajectory.pk})
                .select_related("history_user__person")
                .order_by("id", "history_date")
            ),
        )
        for model, path in TRACKED
    ]
    # the people named in any version (trainer, coach, assessors), in one query
    person_fields = {
        model: [
            f.attname for f in model._meta.fields if f.is_relation and f.related_model is Person
        ]
        for model, _rows in histories
    }
    ids = {
        getattr(row, attname)
        for model, rows in histories
        for row in rows
        for attname in person_fields[model]
    }
    names = {person.pk: person.full_name for person in Person.objects.filter(pk__in=ids)}
    found = []
    for model, rows in histories:
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            differences = _differences(model, before, row, names) if before is not None else []
            if row.history_type != "~" or differences:
                found.append(
                    Change(
                        when=row.history_date,
                        who=_who(row),
                        kind=str(model._meta.verbose_name),
                        action=ACTIONS[row.history_type],
                        fields=differences,
                        reason=REASONS.get(row.history_change_reason, ""),
                    )
                )
            previous[row.id] = row
    return sorted(found, key=lambda change: change.when, reverse=True)
