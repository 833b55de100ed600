"""What happened in a trajectory, newest first, from the rows `Trajectory.objects.with_detail()`
already fetched: building it costs no query."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from trajects.models import Phase


@dataclass
class Event:
    when: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    skill_id: int | None = None
    obj: object = None

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
        )
    for change in trajectory.phase_changes.all():
        yield Event(
            _at(change.changed_on),
            "phase",
            _("Phase %(number)s: %(name)s")
            % {"number": change.phase, "name": Phase(change.phase).label},
        )


def _skill_events(chosen):
    skill = chosen.skill_id
    yield Event(
        _at(chosen.chosen_on),
        "skill",
        _("Skill chosen: %(skill)s") % {"skill": chosen.skill.name},
        _("aiming for %(level)s") % {"level": chosen.get_target_level_display()},
        skill,
    )
    for progress in chosen.progress.all():
        title = f"{progress.assignment.level} · {progress.assignment.title}"
        steps = [
            (progress.introduced_on, _("Assignment introduced")),
            (progress.get_started_on, _("Get-started task done")),
            (progress.look_back_done_on, _("Look-back task done")),
            (progress.goal_reached_on, _("Learning goal reached: independent week")),
            (progress.passed_on, _("Assignment passed")),
            (progress.stopped_on, _("Assignment stopped")),
        ]
        for day, what in steps:
            if day:
                yield Event(_at(day), "assignment", what, title, skill, progress)
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
        )


def _contact_events(trajectory):
    for conversation in trajectory.held_conversations:
        yield Event(
            conversation.held_at,
            "conversation",
            _("Guidance conversation"),
            skill_id=_skill_of(conversation),
            obj=conversation,
        )
    for note in trajectory.written_notes:
        yield note_event(note)


def note_event(note) -> Event:
    return Event(note.written_at, "note", _("Floor note"), note.text, _skill_of(note), note)


def _pause_and_end_events(trajectory):
    for pause in trajectory.pauses.all():
        yield Event(_at(pause.starts_on), "pause", _("Paused"), pause.reason, obj=pause)
        if pause.resumed_on:
            yield Event(_at(pause.resumed_on), "pause", _("Resumed"), obj=pause)
    if trajectory.closed_on:
        yield Event(_at(trajectory.closed_on), "end", _("Trajectory closed"))
    if trajectory.stopped_on:
        yield Event(
            _at(trajectory.stopped_on), "end", _("Trajectory stopped"), trajectory.stop_reason
        )


def for_skill(found: list[Event], skill_id: int | None) -> list[Event]:
    if skill_id is None:
        return found
    return [event for event in found if event.skill_id == skill_id]
