"""What happened in a trajectory, newest first, from the rows `Trajectory.objects.with_detail()`
and `Trajectory.read_records()` fetched: building it costs no query."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajects.models import Phase


@dataclass
class Event:
    when: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    skill_id: int | None = None
    obj: object = None
    key: str = ""  # names the event on the page, so a save can put a new one in its place

    @property
    def has_time(self) -> bool:
        return self.kind in ("conversation", "note")


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _skill_of(row) -> int | None:
    return row.progress.assignment.skill_id if row.progress_id else None


def events(trajectory) -> list[Event]:
    found = [*_start_events(trajectory)]
    for chosen in trajectory.skills.all():
        found.extend(_skill_events(chosen))
    found.extend(_contact_events(trajectory))
    found.extend(_pause_and_end_events(trajectory))
    return sorted(found, key=lambda event: event.when, reverse=True)


def _start_events(trajectory):
    if trajectory.interest:
        yield Event(
            _at(trajectory.interest.registered_on),
            "intake",
            _("Registered for WPO"),
            trajectory.interest.wish,
            key="intake",
        )
    for change in trajectory.phase_changes.all():
        yield Event(
            _at(change.changed_on),
            "phase",
            _("Phase %(number)s: %(name)s")
            % {"number": change.phase, "name": Phase(change.phase).label},
            key=f"phase-{change.pk}",
        )


def _skill_events(chosen):
    skill = chosen.skill_id
    yield Event(
        _at(chosen.chosen_on),
        "skill",
        _("Skill chosen: %(skill)s") % {"skill": chosen.skill.name},
        _("aiming for %(level)s") % {"level": chosen.get_target_level_display()},
        skill,
        key=f"skill-{chosen.pk}",
    )
    for progress in chosen.progress.all():
        yield from progress_events(progress)
    if chosen.assessed_on:
        yield Event(
            _at(chosen.assessed_on),
            "assessment",
            _("%(skill)s assessed at %(level)s")
            % {"skill": chosen.skill.name, "level": chosen.get_achieved_level_display()},
            ", ".join(
                person.full_name
                for person in (chosen.assessed_by, chosen.second_assessor)
                if person
            ),
            skill,
            key=f"assessment-{chosen.pk}",
        )


STEPS = [
    ("introduced_on", gettext_lazy("Assignment introduced")),
    ("get_started_on", gettext_lazy("Get-started task done")),
    ("look_back_done_on", gettext_lazy("Look-back task done")),
    ("goal_reached_on", gettext_lazy("Learning goal reached: independent week")),
    ("passed_on", gettext_lazy("Assignment passed")),
    ("stopped_on", gettext_lazy("Assignment stopped")),
]


def progress_events(progress):
    """The steps an assignment went through; needs its assignment."""
    title = f"{progress.assignment.level} · {progress.assignment.title}"
    skill = progress.assignment.skill_id
    for field, what in STEPS:
        if day := getattr(progress, field):
            yield Event(
                _at(day),
                "assignment",
                str(what),
                title,
                skill,
                progress,
                _step_key(progress, field),
            )


def _step_key(progress, field) -> str:
    return f"progress-{progress.pk}-{field}"


def step_keys(progress) -> set[str]:
    """The steps of an assignment (or of none) that show on the timeline."""
    if progress is None:
        return set()
    return {_step_key(progress, field) for field, _what in STEPS if getattr(progress, field)}


def _contact_events(trajectory):
    for conversation in trajectory.held_conversations:
        yield Event(
            conversation.held_at,
            "conversation",
            _("Guidance conversation"),
            skill_id=_skill_of(conversation),
            obj=conversation,
            key=conversation_key(conversation),
        )
    for note in trajectory.written_notes:
        yield Event(
            note.written_at,
            "note",
            _("Floor note"),
            note.text,
            _skill_of(note),
            note,
            note_key(note),
        )


def conversation_key(conversation) -> str:
    return f"conversation-{conversation.pk}"


def note_key(note) -> str:
    return f"note-{note.pk}"


def _pause_and_end_events(trajectory):
    for pause in trajectory.pauses.all():
        yield Event(
            _at(pause.starts_on),
            "pause",
            _("Paused"),
            pause.reason,
            obj=pause,
            key=f"pause-{pause.pk}",
        )
        if pause.resumed_on:
            yield Event(
                _at(pause.resumed_on), "pause", _("Resumed"), obj=pause, key=f"resume-{pause.pk}"
            )
    if trajectory.closed_on:
        yield Event(_at(trajectory.closed_on), "end", _("Trajectory closed"), key="closed")
    if trajectory.stopped_on:
        yield Event(
            _at(trajectory.stopped_on),
            "end",
            _("Trajectory stopped"),
            trajectory.stop_reason,
            key="stopped",
        )


def for_skill(found: list[Event], skill_id: int | None) -> list[Event]:
    if skill_id is None:
        return found
    return [event for event in found if event.skill_id == skill_id]


def placed(shown: list[Event], new: set[str]) -> list[tuple[str, list[Event]]]:
    """Where the `new` events among those `shown` go on a page that shows the others: each run
    of them on top, before the event that follows it, or at the bottom (as htmx swaps)."""
    runs, run = [], []
    for index, event in enumerate(shown):
        if event.key in new:
            run.append(event)
            continue
        if run:
            where = (
                "afterbegin:#timeline-events"
                if index == len(run)
                else f"beforebegin:#timeline-{event.key}"
            )
            runs.append((where, run))
            run = []
    if run:
        where = (
            "afterbegin:#timeline-events"
            if len(run) == len(shown)
            else "beforeend:#timeline-events"
        )
        runs.append((where, run))
    return runs
