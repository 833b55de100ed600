"""The dates the method's clocks run from, kept on the trajectory (`Trajectory.CLOCK_FIELDS`).

The services are the only way a trajectory changes, and each step that moves one of these
dates ends with `refresh(trajectory)`; so the coach's signals (`trajects.norms`) and the
deadlines on the models compare a few columns with today instead of searching the history.
`computed()` works the dates out from the rows themselves (conversations, phase changes,
pauses, assignments in progress): the refresh, the migration that filled the columns and
`manage.py check_deadlines`, which reports any trajectory whose stored dates drifted from them,
all use it."""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone


def _days(pauses) -> datetime.timedelta:
    return datetime.timedelta(
        days=sum((pause.resumed_on - pause.starts_on).days for pause in pauses)
    )


def _dates(trajectory, progress, last_held, learning_from, pauses) -> dict:
    """A trajectory's clock dates from its rows: finished pauses move each clock on by their
    days (the conversation clock by those since it started), the current pause stops them all."""
    finished = [pause for pause in pauses if pause.resumed_on]
    current = next((pause for pause in pauses if pause.resumed_on is None), None)
    since = (
        (timezone.localdate(last_held) if last_held else None)
        or learning_from
        or trajectory.agreed_start
    )
    return {
        "paused_since": current.starts_on if current else None,
        "conversation_since": since + _days(p for p in finished if p.starts_on >= since),
        "year_since": trajectory.agreed_start + _days(finished),
        "assignment_since": min((row.running_since for row in progress), default=None),
        "look_back_due_on": min(
            (row.look_back_due for row in progress if row.look_back_due), default=None
        ),
        "follow_up_due_on": min(
            (row.follow_up_due for row in progress if row.follow_up_due), default=None
        ),
    }


def computed(trajectories) -> dict[int, dict]:
    """Per trajectory (by id), its clock dates worked out from its rows, in five queries."""
    from trajects.models import AssignmentProgress, GuidanceConversation, Pause, Phase, PhaseChange

    ids = trajectories.order_by().values("pk")
    progress = defaultdict(list)
    for row in (
        AssignmentProgress.objects.open()
        .filter(trajectory_skill__trajectory__in=ids)
        .only(
            "trajectory_skill__trajectory_id",
            "status",
            "introduced_on",
            "paused_days",
            "look_back_due_on",
            "look_back_done_on",
            "independent_until",
        )
        .select_related("trajectory_skill")
    ):
        progress[row.trajectory_skill.trajectory_id].append(row)
    last_held = dict(
        GuidanceConversation.objects.held()
        .filter(trajectory__in=ids)
        .order_by()
        .values("trajectory")
        .annotate(last=Max("held_at"))
        .values_list("trajectory", "last")
    )
    learning_from = dict(
        PhaseChange.objects.filter(trajectory__in=ids, phase=Phase.LEARNING)
        .order_by()
        .values("trajectory")
        .annotate(last=Max("changed_on"))
        .values_list("trajectory", "last")
    )
    pauses = defaultdict(list)
    for pause in Pause.objects.filter(trajectory__in=ids).only(
        "trajectory_id", "starts_on", "resumed_on"
    ):
        pauses[pause.trajectory_id].append(pause)
    return {
        trajectory.pk: _dates(
            trajectory,
            progress[trajectory.pk],
            last_held.get(trajectory.pk),
            learning_from.get(trajectory.pk),
            pauses[trajectory.pk],
        )
        for trajectory in trajectories.only("pk", "agreed_start")
    }


def refresh(trajectory):
    """Store the trajectory's clock dates as its rows now have them (the last thing a step
    does), on the row and on `trajectory` itself. No history: they follow from what is kept."""
    from trajects.models import Trajectory

    dates = computed(Trajectory.objects.filter(pk=trajectory.pk))[trajectory.pk]
    Trajectory.objects.filter(pk=trajectory.pk).update(**dates)
    for field, value in dates.items():
        setattr(trajectory, field, value)
    return trajectory


def _differing(trajectories):
    """(id, stored, worked out) of each trajectory whose stored dates differ from its rows."""
    from trajects.models import Trajectory

    expected = computed(trajectories)
    for stored in trajectories.order_by("pk").values("pk", *Trajectory.CLOCK_FIELDS):
        dates = expected[stored["pk"]]
        if any(stored[field] != value for field, value in dates.items()):
            yield stored["pk"], stored, dates


def drift(trajectories) -> list[tuple[int, str, object, object]]:
    """(trajectory id, field, stored, worked out) for every stored date that differs from what
    the rows say."""
    return [
        (pk, field, stored[field], value)
        for pk, stored, dates in _differing(trajectories)
        for field, value in dates.items()
        if stored[field] != value
    ]


# rows per UPDATE in `refresh_all`: 7 parameters a row stays well under SQLite's and
# PostgreSQL's limits
STORED_AT_ONCE = 1000


@transaction.atomic
def refresh_all(trajectories) -> int:
    """Store the dates of every trajectory in `trajectories` whose stored ones differ from its
    rows (after a bulk load, or a repair); how many. One UPDATE per thousand trajectories,
    joined to their dates as a VALUES list: an UPDATE per row took minutes for 50,000, and
    Django's bulk_update compares every row with every other (a CASE per field)."""
    changed = [(pk, dates) for pk, _stored, dates in _differing(trajectories)]
    for start in range(0, len(changed), STORED_AT_ONCE):
        _store(changed[start : start + STORED_AT_ONCE])
    return len(changed)


def _store(rows: list[tuple[int, dict]]):
    from trajects.models import Trajectory

    fields = Trajectory.CLOCK_FIELDS
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    table = quote(Trajectory._meta.db_table)
    # a VALUES list names its columns column1, column2... on both databases; PostgreSQL reads a
    # column of nothing but NULLs as text
    typed = "CAST(v.column{} AS date)" if connection.vendor == "postgresql" else "v.column{}"
    assignments = ", ".join(
        f"{quote(field)} = {typed.format(number)}" for number, field in enumerate(fields, 2)
    )
    row = "({})".format(", ".join(["%s"] * (len(fields) + 1)))
    parameters = [
        value for pk, dates in rows for value in (pk, *(adapt(dates[field]) for field in fields))
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} "
            f"FROM (VALUES {', '.join([row] * len(rows))}) AS v "
            f"WHERE {table}.{quote('id')} = v.column1",
            parameters,
        )
