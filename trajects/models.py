import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models import Assignment, Level, Skill
from assignments.pictograms import Feeling
from wpo import access
from wpo.models import (
    BusinessUnit,
    Department,
    Membership,
    Miss,
    Person,
    Role,
    Versioned,
    recorded_by,
)


def check_progress_in_trajectory(row):
    """A conversation or note about an assignment is about one of this trajectory's."""
    if (
        row.progress_id
        and row.trajectory_id
        and row.progress.trajectory_skill.trajectory_id != row.trajectory_id
    ):
        raise ValidationError(
            {"progress": _("This assignment belongs to another participant's trajectory.")}
        )


class TrajectoryPartQuerySet(models.QuerySet):
    """For rows that belong to one trajectory: visible when their trajectory is."""

    trajectory_path = "trajectory__"

    def visible_to(self, user):
        return self.filter(access.trajectory_q(user, self.trajectory_path))

    def counted_for(self, user):
        """What the user's figures count: more than they see for a business-unit manager."""
        return self.filter(access.counted_q(user, self.trajectory_path))

    def in_coached_departments(self, user):
        """Only the departments the user coaches (a coach's own pages; a project manager who
        also coaches sees just those there)."""
        return self.filter(access.coached_q(user, f"{self.trajectory_path}department__"))


def optional_person(verbose_name):
    """A person who may be recorded later (an assessor, who answered): kept even if unset."""
    return models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def _day(day: datetime.date) -> dict:
    return {"day": formats.date_format(day, "j F")}


def _count(rows):
    """How many of `rows` (a queryset with an `OuterRef`), as a subquery. A plain COUNT, not
    Django's `Count`, which would group by the outer row's columns."""
    counted = rows.values(n=models.Func(F("pk"), function="COUNT"))
    return Subquery(counted, output_field=models.IntegerField())


def open_progress():
    """Prefetch for a trajectory: each chosen skill's assignment in progress, as
    `open_progress` (see `Trajectory.current_progress`)."""
    return Prefetch(
        "skills__progress",
        queryset=AssignmentProgress.objects.open().select_related("assignment"),
        to_attr="open_progress",
    )


def current_pause():
    """Prefetch for a trajectory: its current pause, if any (see `Trajectory.current_pause`)."""
    return Prefetch("pauses", queryset=Pause.objects.current(), to_attr="open_pauses")


def deadline_rules() -> dict[str, tuple[str, int, tuple | None]]:
    """The method's deadlines, each defined once: per rule, the date on the trajectory its
    clock runs from (`Trajectory.CLOCK_FIELDS`, or the agreed end), the days it allows (a
    setting, read at call time so a test can move it) and the phases it applies in (None: all
    while open). `Trajectory.deadline_of` reads them, and so do the coach's signals in SQL
    (`trajects.norms`)."""
    return {
        "assignment": ("assignment_since", settings.WPO_NORM_ASSIGNMENT_WEEKS * 7, None),
        "look_back": ("look_back_due_on", 0, None),
        "follow_up": ("follow_up_due_on", 0, None),
        "past_end": ("agreed_end", 0, None),
        "too_long": ("year_since", settings.WPO_NORM_TRAJECTORY_MAX_DAYS, None),
        "conversation": (
            "conversation_since",
            settings.WPO_NORM_CONVERSATION_WEEKS * 7,
            CONVERSATION_PHASES,
        ),
    }


@dataclass(frozen=True)
class Deadline:
    """The day a step of the method falls due (`on`; None: nothing is due), read on the
    method's clock (`Trajectory.clock`), which stands still during a pause. Due on that day,
    late from the day after. Each rule is defined once (`deadline_rules`); the coach's signals
    measure the same days in SQL (`trajects.norms`), and the tests hold the two to the same
    day."""

    on: datetime.date | None
    clock: datetime.date

    @property
    def days_late(self) -> int | None:
        """Days past the deadline (0 on the day itself, negative before it)."""
        return None if self.on is None else (self.clock - self.on).days

    @property
    def is_due(self) -> bool:
        return self.on is not None and self.on <= self.clock

    @property
    def is_late(self) -> bool:
        return self.on is not None and self.on < self.clock

    def comes_by(self, day: datetime.date) -> bool:
        """Not due yet, and due by `day`."""
        return self.on is not None and self.clock < self.on <= day


class Interest(models.Model):
    """Phase 1: an employee who, with their supervisor, wants to take part."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="interests", verbose_name=_("employee")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="interests", verbose_name=_("department")
    )
    supervisor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    wish = models.TextField(_("what the employee would like to learn"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)
    registered_by = recorded_by(_("registered by"))

    history = HistoricalRecords()

    class QuerySet(models.QuerySet):
        def visible_to(self, user):
            return self.filter(access.interest_q(user))

        def in_coached_departments(self, user):
            return self.filter(access.coached_q(user, "department__"))

        def waiting(self):
            return self.filter(withdrawn_on__isnull=True, trajectory__isnull=True)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["registered_on"]
        verbose_name = _("interest registration")
        verbose_name_plural = _("interest registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_reason="") | Q(withdrawn_on__isnull=False),
                name="interest_withdrawn_reason_with_date",
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.registered_on:%d-%m-%Y})"

    @property
    def is_dealt_with(self) -> bool:
        """Withdrawn, or started as a trajectory: nothing more to do with it."""
        return self.withdrawn_on is not None or hasattr(self, "trajectory")


class Phase(models.IntegerChoices):
    START = 1, _("Start")
    LEARNING = 2, _("Learning/work period")
    ASSESSMENT = 3, _("Evaluation and assessment")
    CLOSING = 4, _("Closing")


# Which phase each step of the method belongs to: the services refuse a step in another phase,
# and the pages offer it only in these.
STEP_PHASES = {
    "choose_skills": (Phase.START, Phase.LEARNING),
    "introduce": (Phase.START, Phase.LEARNING),
    "start_assessment": (Phase.LEARNING,),
    "assess": (Phase.ASSESSMENT,),
    "start_closing": (Phase.ASSESSMENT,),
    "close": (Phase.CLOSING,),
}
# The phases in which guidance conversations are held every few weeks.
CONVERSATION_PHASES = (Phase.LEARNING, Phase.ASSESSMENT)


class CountedInMonths(models.Model):
    """A row that counts in the manager's report in the month of its `DATED` fields
    (`trajects.reports.months` keeps past months' figures). The `COUNTED` fields are
    remembered as read, so a save that changes one lets go of the months it counted in
    before and counts in now, and a save that changes none lets go of nothing."""

    COUNTED: tuple[str, ...] = ()
    DATED: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # the row as read, looked at only when it is saved: a list of a thousand rows pays
        # nothing more for it
        instance._row_as_read = (field_names, values)
        return instance

    @property
    def as_read(self) -> dict | None:
        """The `COUNTED` fields as read or last saved; None for a new row."""
        if not hasattr(self, "_row_as_read"):
            return None
        read = dict(zip(*self._row_as_read, strict=True))
        return {name: read.get(name) for name in self.COUNTED}

    def counted_now(self) -> dict:
        # from __dict__: a field left out of the query (`only()`) is not read to remember it
        return {name: self.__dict__.get(name) for name in self.COUNTED}

    def changed_days(self, deleted=False) -> list:
        """The days whose months this save or delete changes."""
        now, before = self.counted_now(), self.as_read
        self._row_as_read = (self.COUNTED, tuple(now.values()))
        if before == now and not deleted:
            return []
        return [row.get(name) for row in (before or {}, now) for name in self.DATED]


class Trajectory(CountedInMonths):
    COUNTED = ("department_id", "agreed_start", "closed_on", "stopped_on")
    DATED = ("agreed_start", "closed_on", "stopped_on")

    participant = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("participant")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name=_("department"),
    )
    trainer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="trajectories_as_trainer",
        verbose_name=_("workplace trainer"),
    )
    coach = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="trajectories_as_coach",
        verbose_name=_("coach"),
    )
    interest = models.OneToOneField(
        Interest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectory",
        verbose_name=_("interest registration"),
    )
    agreed_start = models.DateField(_("agreed start"))
    agreed_end = models.DateField(_("agreed end"))
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices, default=Phase.START)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The dates the method's clocks run from, kept by the services (`trajects.deadlines`):
    # finished pauses have moved them on, `paused_since` stops them all.
    paused_since = models.DateField(_("paused since"), null=True, blank=True, editable=False)
    conversation_since = models.DateField(
        _("no-conversation clock from"), null=True, blank=True, editable=False
    )
    year_since = models.DateField(_("year clock from"), null=True, blank=True, editable=False)
    assignment_since = models.DateField(
        _("longest running assignment from"), null=True, blank=True, editable=False
    )
    look_back_due_on = models.DateField(
        _("first look-back due on"), null=True, blank=True, editable=False
    )
    follow_up_due_on = models.DateField(
        _("first follow-up due on"), null=True, blank=True, editable=False
    )
    CLOCK_FIELDS = (
        "paused_since",
        "conversation_since",
        "year_since",
        "assignment_since",
        "look_back_due_on",
        "follow_up_due_on",
    )

    history = HistoricalRecords(excluded_fields=list(CLOCK_FIELDS))

    class QuerySet(TrajectoryPartQuerySet):
        trajectory_path = ""

        def active(self):
            return self.filter(closed_on__isnull=True, stopped_on__isnull=True)

        def guided_by(self, person_id):
            return self.filter(trainer_id=person_id)

        def with_conversation_dates(self):
            """The last held, the next planned and the oldest overdue conversation: subqueries,
            so the list needs no GROUP BY over every conversation (it joins the signals)."""
            now = timezone.now()
            conversations = GuidanceConversation.objects.filter(trajectory=OuterRef("pk"))
            planned = conversations.planned()
            return self.annotate(
                last_conversation_at=Subquery(
                    conversations.held().order_by("-held_at").values("held_at")[:1]
                ),
                next_conversation_at=Subquery(
                    planned.filter(planned_at__gte=now)
                    .order_by("planned_at")
                    .values("planned_at")[:1]
                ),
                overdue_conversation_at=Subquery(
                    conversations.to_record().order_by("planned_at").values("planned_at")[:1]
                ),
            )

        def with_signals(self, today=None):
            """Per norm of the method, the days past it and the severity; `signal_level` the
            worst (see `trajects.norms`)."""
            from trajects import norms

            return norms.annotate(self, today)

        def signals_first(self):
            """Worst signal first, then by department and name; `pk` last, so pages neither
            repeat nor skip anyone. Needs `with_signals()`."""
            return self.order_by(
                "-signal_level",
                "department__name",
                "participant__last_name",
                "participant__first_name",
                "pk",
            )

        def next_first(self):
            """What comes next first: a conversation still to record, then the next planned
            one, soonest first; without either, last. By name within. Needs
            `with_conversation_dates()`."""
            return self.order_by(
                Coalesce("overdue_conversation_at", "next_conversation_at").asc(nulls_last=True),
                "participant__last_name",
                "participant__first_name",
                "pk",
            )

        def with_overview(self):
            """What an overview row shows (people, assignments in progress, last and next
            conversation, a pause) in a fixed number of queries, however many rows."""
            return (
                self.select_related("participant", "department", "trainer")
                .prefetch_related(
                    Prefetch("skills", queryset=TrajectorySkill.objects.select_related("skill")),
                    open_progress(),
                    current_pause(),
                )
                .with_conversation_dates()
            )

        def with_detail(self):
            """What the participant page shows of a trajectory, but for what grows with every
            week (`Trajectory.read_records`), in a fixed number of queries: the chosen skills
            and their assignments, every planned conversation (`planned_conversations`), the
            participant's words, pauses and phase changes."""
            progress = AssignmentProgress.objects.select_related("assignment").order_by(
                "introduced_on", "pk"
            )
            return (
                self.select_related(
                    "participant",
                    "department__business_unit",
                    "trainer",
                    "coach",
                    "interest",
                    "participant_link",
                )
                .prefetch_related(
                    Prefetch(
                        "words",
                        queryset=ParticipantWords.objects.select_related("progress__assignment"),
                    ),
                    Prefetch(
                        "skills",
                        queryset=TrajectorySkill.objects.select_related(
                            "skill", "assessed_by", "second_assessor"
                        ),
                    ),
                    Prefetch("skills__progress", queryset=progress),
                    Prefetch(
                        "conversations",
                        queryset=GuidanceConversation.objects.planned()
                        .select_related("second_assessor", "progress__assignment")
                        .order_by("planned_at"),
                        to_attr="planned_conversations",
                    ),
                    Prefetch("pauses", queryset=Pause.objects.order_by("starts_on")),
                    Prefetch("phase_changes", queryset=PhaseChange.objects.select_related("by")),
                )
                .with_conversation_dates()
            )

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-agreed_start"]
        verbose_name = _("WPO trajectory")
        verbose_name_plural = _("WPO trajectories")
        # the manager's figures count today from the rows (the days before are kept), and a
        # part month at either end: started, closed and stopped on the days of a period
        indexes = [
            models.Index(fields=["agreed_start"], name="trajectory_by_start"),
            models.Index(
                fields=["closed_on"],
                condition=Q(closed_on__isnull=False),
                name="trajectory_by_close",
            ),
            models.Index(
                fields=["stopped_on"],
                condition=Q(stopped_on__isnull=False),
                name="trajectory_by_stop",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_end__gt=F("agreed_start")),
                name="trajectory_end_after_start",
                violation_error_message=_("The agreed end must be after the agreed start."),
            ),
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=4), name="trajectory_phase_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(stopped_on__isnull=True),
                name="trajectory_closed_or_stopped_not_both",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(phase=4),
                name="trajectory_closed_in_closing_phase",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | ~Q(stop_reason=""),
                name="trajectory_stop_has_reason",
                violation_error_message=_("Give the reason the trajectory stopped."),
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(closed_on__isnull=True, stopped_on__isnull=True),
                name="trajectory_one_open_per_participant",
                violation_error_message=_("This participant already has an open trajectory."),
            ),
        ]

    def __str__(self):
        return f"{self.participant} ({self.agreed_start:%d-%m-%Y})"

    def clean(self):
        """The trainer trains, and the coach coaches, the trajectory's department: access
        follows the department, so anyone else named here could not see their own work."""
        required = {
            "trainer": (
                Role.TRAINER,
                _("This person is not a workplace trainer of this department."),
            ),
            "coach": (Role.COACH, _("This person is not a coach of this department.")),
        }
        errors = {
            field: message
            for field, (role, message) in required.items()
            if self.department_id
            and getattr(self, f"{field}_id")
            and not Membership.objects.filter(
                person_id=getattr(self, f"{field}_id"), role=role, department_id=self.department_id
            ).exists()
        }
        if errors:
            raise ValidationError(errors)

    def read_records(self, latest: int | None = None) -> "Trajectory":
        """The held conversations (`held_conversations`) and the floor notes (`written_notes`),
        newest first; with `latest` only that many of each and one more (so the page knows
        there is more to show), however long the trajectory ran. Two queries with a LIMIT:
        for one trajectory, a prefetch would number every row of it in a window."""
        held = (
            self.conversations.held()
            .select_related("second_assessor", "progress__assignment")
            .order_by("-held_at", "-pk")
        )
        notes = self.notes.select_related("author__person", "progress__assignment").order_by(
            "-written_at", "-pk"
        )
        if latest is not None:
            held, notes = held[: latest + 1], notes[: latest + 1]
        self.held_conversations, self.written_notes = list(held), list(notes)
        return self

    @property
    def is_open(self) -> bool:
        return self.closed_on is None and self.stopped_on is None

    @property
    def has_participant_link(self) -> bool:
        """Needs `with_detail()` (or costs a query)."""
        return hasattr(self, "participant_link")

    @property
    def current_progress(self) -> list["AssignmentProgress"]:
        """Assignments in progress; needs `with_overview()` (which fetches just those) or
        `with_detail()` (which fetches all)."""
        return [skill.in_progress for skill in self.skills.all() if skill.in_progress]

    @property
    def current_pause(self) -> "Pause | None":
        """The pause the trajectory is in now; needs `with_overview()` or `with_detail()`."""
        pauses = getattr(self, "open_pauses", None)
        if pauses is None:
            pauses = self.pauses.all()
        return next((pause for pause in pauses if pause.resumed_on is None), None)

    @cached_property
    def signals(self):
        """What the coach should look at, worst first; needs `with_signals()`."""
        from trajects import norms

        return norms.signals_of(self)

    @property
    def severity(self):
        """The worst signal's severity (green when none); needs `with_signals()`."""
        from trajects import norms

        return norms.Severity(self.signal_level)

    @property
    def is_running(self) -> bool:
        """Open and not paused: the method's steps can be taken."""
        return self.is_open and self.current_pause is None

    def phase_allows(self, step: str) -> bool:
        return self.phase in STEP_PHASES[step]

    @property
    def can_choose_skills(self) -> bool:
        return self.is_open and self.phase_allows("choose_skills")

    @property
    def can_start_assessment(self) -> bool:
        return self.is_running and self.phase_allows("start_assessment")

    @property
    def can_start_closing(self) -> bool:
        return self.is_running and self.phase_allows("start_closing")

    @property
    def can_close(self) -> bool:
        return self.is_running and self.phase_allows("close")

    @property
    def earns_certificate(self) -> bool:
        """In the closing and not stopped early (closed or not)."""
        return self.phase == Phase.CLOSING and self.stopped_on is None

    def clock(self, today: datetime.date | None = None) -> datetime.date:
        """The date the method's clocks show on `today` (default: today): that day, or the
        first day of the current pause, since a pause (sickness, leave) stops assignment
        weeks and due dates."""
        return self.paused_since or today or timezone.localdate()

    def deadline(self, day: datetime.date | None, today=None) -> Deadline:
        """`day` as a deadline of this trajectory: none once it has ended."""
        return Deadline(day if self.is_open else None, self.clock(today))

    def deadline_of(self, rule: str, today=None) -> Deadline:
        """The deadline of one of `deadline_rules`, from the date its clock runs from."""
        field, days, phases = deadline_rules()[rule]
        since = getattr(self, field)
        applies = since is not None and (phases is None or self.phase in phases)
        return self.deadline(since + datetime.timedelta(days=days) if applies else None, today)

    def end_deadline(self, today=None) -> Deadline:
        """The agreed end; a resume moved it on by the days paused."""
        return self.deadline_of("past_end", today)

    def year_deadline(self, today=None) -> Deadline:
        """A trajectory takes a year at most (a setting), its pauses left out."""
        return self.deadline_of("too_long", today)

    def conversation_deadline(self, today=None) -> Deadline:
        """In the learning and assessment phases a guidance conversation is held every few
        weeks (a setting), from the last one held (else the start of the learning phase, else
        the agreed start), pauses left out."""
        return self.deadline_of("conversation", today)

    @property
    def longest_running(self) -> "AssignmentProgress | None":
        """The assignment in progress that has run longest, pauses left out."""
        return min(self.current_progress, key=lambda row: (row.running_since, row.pk), default=None)

    def to_do(self) -> list[str]:
        """What needs doing now, in the trainer's words; needs `with_overview()` or
        `with_detail()`."""
        if not self.is_open:
            return []
        pause = self.current_pause
        if pause:
            if pause.resume_on <= timezone.localdate():
                return [
                    _("Expected back on %(day)s: resume the trajectory") % _day(pause.resume_on)
                ]
            return []
        todo = []
        chosen = list(self.skills.all())
        if not chosen:
            todo.append(_("Choose the skills with the participant"))
        elif self.phase_allows("introduce") and not self.current_progress:
            todo.append(_("Introduce an assignment"))
        todo += filter(None, (progress.to_do() for progress in self.current_progress))
        if self.overdue_conversation_at:
            todo.append(
                _("Record the conversation of %(day)s")
                % _day(timezone.localdate(self.overdue_conversation_at))
            )
        elif self.phase == Phase.LEARNING and not self.next_conversation_at:
            todo.append(_("No conversation planned"))
        if self.end_deadline().is_late:
            todo.append(_("Past the agreed end of %(day)s") % _day(self.agreed_end))
        return todo


class TrajectorySkill(CountedInMonths, Versioned):
    """A skill chosen for a trajectory, with the level aimed at and, once assessed, reached."""

    COUNTED = ("skill_id", "achieved_level", "assessed_on")
    DATED = ("assessed_on",)

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="skills", verbose_name=_("trajectory")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    target_level = models.CharField(_("target level"), max_length=1, choices=Level.choices)
    chosen_on = models.DateField(_("chosen on"), default=timezone.localdate)
    achieved_level = models.CharField(
        _("level reached"), max_length=1, choices=Level.choices, blank=True
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessed_by = optional_person(_("assessed by"))
    second_assessor = optional_person(_("second assessor"))

    history = HistoricalRecords(excluded_fields=["version"])
    objects = TrajectoryPartQuerySet.as_manager()

    class Meta:
        ordering = ["skill__number"]
        verbose_name = _("chosen skill")
        verbose_name_plural = _("chosen skills")
        indexes = [
            models.Index(
                fields=["assessed_on"],
                condition=Q(assessed_on__isnull=False),
                name="skill_assessed_by_day",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "skill"], name="trajectory_skill_chosen_once"
            ),
            models.CheckConstraint(
                condition=Q(target_level__in=Level.values), name="trajectory_skill_target_abc"
            ),
            models.CheckConstraint(
                condition=Q(achieved_level="", assessed_on__isnull=True)
                | Q(achieved_level__in=Level.values, assessed_on__isnull=False),
                name="trajectory_skill_assessed_with_level_and_date",
                violation_error_message=_("An assessment needs both a level and a date."),
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_target_level_display()})"

    @property
    def in_progress(self) -> "AssignmentProgress | None":
        """The assignment being worked on (one at a time per skill), from the prefetched
        `open_progress` or all `progress`."""
        rows = getattr(self, "open_progress", None)
        if rows is None:
            rows = self.progress.all()
        return next((row for row in rows if row.is_open), None)

    @property
    def can_introduce(self) -> bool:
        """An assignment can be introduced: none in progress for this skill."""
        trajectory = self.trajectory
        return (
            trajectory.is_running and trajectory.phase_allows("introduce") and not self.in_progress
        )

    @property
    def can_assess(self) -> bool:
        return self.trajectory.is_running and self.trajectory.phase_allows("assess")


class ProgressStatus(models.TextChoices):
    INTRODUCED = "introduced", _("introduced")
    WORKING = "working", _("working on it")
    INDEPENDENT_WEEK = "independent_week", _("independent week")
    PASSED = "passed", _("passed")
    STOPPED = "stopped", _("stopped")


OPEN_STATUSES = [
    ProgressStatus.INTRODUCED,
    ProgressStatus.WORKING,
    ProgressStatus.INDEPENDENT_WEEK,
]


class AssignmentProgress(CountedInMonths):
    """One assignment of a chosen skill, from introduction to passed."""

    COUNTED = ("assignment_id", "status", "introduced_on", "passed_on", "paused_days")
    DATED = ("passed_on",)

    trajectory_skill = models.ForeignKey(
        TrajectorySkill,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("chosen skill"),
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="+", verbose_name=_("assignment")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgressStatus.choices,
        default=ProgressStatus.INTRODUCED,
    )
    introduced_on = models.DateField(_("introduced on"), default=timezone.localdate)
    get_started_on = models.DateField(_("get-started task on"), null=True, blank=True)
    look_back_due_on = models.DateField(_("look-back due on"), null=True, blank=True)
    look_back_done_on = models.DateField(_("look-back done on"), null=True, blank=True)
    goal_reached_on = models.DateField(_("learning goal reached on"), null=True, blank=True)
    independent_until = models.DateField(_("independent week until"), null=True, blank=True)
    passed_on = models.DateField(_("passed on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    second_assessor = optional_person(_("second assessor"))
    paused_days = models.PositiveIntegerField(
        _("days paused"),
        default=0,
        help_text=_("Days the trajectory was paused while this assignment ran; they do not count."),
    )

    history = HistoricalRecords()

    class QuerySet(TrajectoryPartQuerySet):
        trajectory_path = "trajectory_skill__trajectory__"

        def open(self):
            return self.filter(status__in=OPEN_STATUSES)

        def independent_week_ending_this_week(self):
            """In the independent week, which ends between this Monday and Sunday."""
            monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
            return self.filter(
                status=ProgressStatus.INDEPENDENT_WEEK,
                independent_until__range=(monday, monday + datetime.timedelta(days=6)),
                trajectory_skill__trajectory__closed_on__isnull=True,
                trajectory_skill__trajectory__stopped_on__isnull=True,
            )

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["introduced_on"]
        verbose_name = _("assignment progress")
        verbose_name_plural = _("assignment progress")
        indexes = [
            models.Index(
                fields=["passed_on"],
                condition=Q(status=ProgressStatus.PASSED),
                name="progress_passed_by_day",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory_skill", "assignment"], name="progress_assignment_once"
            ),
            models.UniqueConstraint(
                fields=["trajectory_skill"],
                condition=Q(status__in=OPEN_STATUSES),
                name="progress_one_open_per_skill",
                violation_error_message=_("This skill already has an assignment in progress."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values), name="progress_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ProgressStatus.PASSED) | Q(passed_on__isnull=False),
                name="progress_passed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProgressStatus.INDEPENDENT_WEEK)
                | Q(independent_until__isnull=False),
                name="progress_independent_week_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProgressStatus.STOPPED) | Q(stopped_on__isnull=False),
                name="progress_stopped_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} — {self.get_status_display()}"

    def clean(self):
        if (
            self.assignment_id
            and self.trajectory_skill_id
            and self.assignment.skill_id != self.trajectory_skill.skill_id
        ):
            raise ValidationError(
                {"assignment": _("This assignment belongs to another skill than the chosen one.")}
            )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def trajectory(self) -> Trajectory:
        return self.trajectory_skill.trajectory

    def _deadline(self, day: datetime.date | None, today) -> Deadline:
        return self.trajectory.deadline(day if self.is_open else None, today)

    @property
    def look_back_from(self) -> datetime.date | None:
        """The look-back comes a week or more after the get-started task."""
        if self.get_started_on is None:
            return None
        return self.get_started_on + datetime.timedelta(days=7)

    @property
    def can_look_back(self) -> bool:
        """The get-started task is a week or more ago, and the look-back not yet done."""
        return (
            self.is_open
            and self.look_back_from is not None
            and self.look_back_done_on is None
            and self.look_back_from <= self.trajectory.clock()
        )

    @property
    def running_since(self) -> datetime.date:
        """The introduction, moved on by the days paused since."""
        return self.introduced_on + datetime.timedelta(days=self.paused_days)

    @property
    def weeks_running(self) -> int:
        """Whole weeks since the introduction, pauses left out."""
        return max((self.trajectory.clock() - self.running_since).days, 0) // 7

    def running_deadline(self, today=None) -> Deadline:
        """An assignment takes a few weeks (a setting), pauses left out."""
        days = datetime.timedelta(days=deadline_rules()["assignment"][1])
        return self._deadline(self.running_since + days, today)

    @property
    def look_back_due(self) -> datetime.date | None:
        """The look-back, planned 1 to 2 weeks after the get-started task, until it is done; a
        resume moves it on."""
        return None if self.look_back_done_on else self.look_back_due_on

    @property
    def follow_up_due(self) -> datetime.date | None:
        """The follow-up conversation, due on the independent week's last day; a resume moves
        it on."""
        return self.independent_until if self.status == ProgressStatus.INDEPENDENT_WEEK else None

    def look_back_deadline(self, today=None) -> Deadline:
        return self._deadline(self.look_back_due, today)

    def follow_up_deadline(self, today=None) -> Deadline:
        return self._deadline(self.follow_up_due, today)

    def to_do(self) -> str | None:
        """The trainer's next step on this assignment, if one is due."""
        title = {"title": self.assignment.title}
        if self.follow_up_deadline().is_due:
            return (
                _("%(title)s: the independent week is over, hold the follow-up conversation")
                % title
            )
        if self.look_back_deadline().is_due:
            return _("%(title)s: look back on the get-started task") % title
        if self.get_started_on is None:
            return _("%(title)s: do the get-started task together") % title
        return None


class Outcome(models.TextChoices):
    """What a conversation decides for its assignment: the first two while the participant
    practises, the last two after the independent week (`for_status`)."""

    CONTINUE = "continue", _("learning goal not reached yet: keep practising")
    GOAL_REACHED = "goal_reached", _("learning goal reached: independent week")
    PASSED = "passed", _("passed after the independent week")
    NOT_YET = "not_yet", _("not passed after the independent week: practise again")

    @classmethod
    def for_status(cls, status: str) -> list["Outcome"]:
        """The outcomes a conversation can decide for an assignment in `status`."""
        if status == ProgressStatus.INDEPENDENT_WEEK:
            return [cls.PASSED, cls.NOT_YET]
        return [cls.CONTINUE, cls.GOAL_REACHED]


class CallOff(models.TextChoices):
    """Why a planned conversation was called off, as its history keeps it."""

    WILL_NOT_TAKE_PLACE = "will_not_take_place", _("called off: it will not take place")
    TRAJECTORY_CLOSED = "trajectory_closed", _("called off: the trajectory was closed")
    TRAJECTORY_STOPPED = "trajectory_stopped", _("called off: the trajectory stopped")
    PAUSED = "paused", _("called off: planned during the pause")


class GuidanceConversation(Versioned):
    """A planned or held guidance conversation between participant and trainer."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("trajectory"),
    )
    progress = models.ForeignKey(
        AssignmentProgress,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("assignment"),
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    held_at = models.DateTimeField(_("held on"), null=True, blank=True)
    coach_present = models.BooleanField(_("coach was there"), default=False)
    participant_account = models.TextField(_("what the participant did and learned"), blank=True)
    trainer_observations = models.TextField(_("what the trainer saw"), blank=True)
    positive_feedback = models.TextField(_("positive feedback"), blank=True)
    agreements = models.TextField(_("agreements"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    next_planned_at = models.DateTimeField(_("next conversation"), null=True, blank=True)
    second_assessor = optional_person(_("second assessor"))
    participant_confirmed_at = models.DateTimeField(
        _("confirmed by the participant at"), null=True, blank=True
    )
    participant_initials = models.CharField(_("participant's initials"), max_length=8, blank=True)
    confirmed_on_own_page = models.BooleanField(
        _("confirmed on the participant's own page"),
        default=False,
        help_text=_("Through their personal link: stronger than initials on a staff phone."),
    )
    author = recorded_by(_("written by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    recorded_at = models.DateTimeField(
        _("recorded at"),
        null=True,
        blank=True,
        help_text=_("When the held conversation was written down."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class QuerySet(TrajectoryPartQuerySet):
        def held(self):
            return self.filter(held_at__isnull=False)

        def planned(self):
            return self.filter(held_at__isnull=True, planned_at__isnull=False)

        def to_record(self):
            """Planned, and its time has passed: the SQL side of `is_to_record`."""
            return self.planned().filter(planned_at__lt=timezone.now())

        def coming_week(self):
            """Planned in the next seven days, of trajectories still running."""
            now = timezone.now()
            return self.planned().filter(
                planned_at__range=(now, now + datetime.timedelta(days=7)),
                trajectory__closed_on__isnull=True,
                trajectory__stopped_on__isnull=True,
            )

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-planned_at"]
        verbose_name = _("guidance conversation")
        verbose_name_plural = _("guidance conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_at__isnull=False) | Q(held_at__isnull=False),
                name="conversation_planned_or_held",
                violation_error_message=_("A conversation needs a planned or held date."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(held_at__isnull=False),
                name="conversation_outcome_only_when_held",
            ),
            models.CheckConstraint(
                condition=Q(participant_confirmed_at__isnull=True)
                | (
                    Q(held_at__isnull=False)
                    & (~Q(participant_initials="") | Q(confirmed_on_own_page=True))
                ),
                name="conversation_confirmation_held_with_initials_or_own_page",
            ),
        ]
        indexes = [
            # The next planned conversation of a trajectory, and the coach's week, look for the
            # few planned ones among every conversation ever held, which grow with every year.
            models.Index(
                fields=["trajectory", "planned_at"],
                condition=Q(held_at__isnull=True),
                name="conversation_planned_by_time",
            ),
        ]

    def __str__(self):
        when = self.held_at or self.planned_at
        return f"{self.trajectory.participant} — {timezone.localtime(when):%d-%m-%Y %H:%M}"

    def clean(self):
        check_progress_in_trajectory(self)

    @property
    def is_to_record(self) -> bool:
        """Its time has passed and it is not written down yet: on the trainer's to-do list."""
        return self.held_at is None and self.planned_at < timezone.now()

    @property
    def can_be_edited(self) -> bool:
        """A held conversation may be corrected for a few days (a setting), while its
        trajectory runs; after that it is the record."""
        window = datetime.timedelta(days=settings.WPO_CONVERSATION_EDIT_DAYS)
        return (
            self.trajectory.is_open
            and self.recorded_at is not None
            and self.recorded_at + window > timezone.now()
        )

    @property
    def can_be_moved(self) -> bool:
        """A planned conversation may be moved or called off while its trajectory runs."""
        return self.held_at is None and self.trajectory.is_open


class FloorNote(models.Model):
    """A short note from the shop floor: how it is going, what the trainer pointed out."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="notes", verbose_name=_("trajectory")
    )
    progress = models.ForeignKey(
        AssignmentProgress,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("assignment"),
    )
    text = models.TextField(_("note"))
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    author = recorded_by(_("written by"))

    history = HistoricalRecords()
    objects = TrajectoryPartQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("floor note")
        verbose_name_plural = _("floor notes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="floor_note_not_empty"),
        ]

    def __str__(self):
        return self.text[:60]

    def clean(self):
        check_progress_in_trajectory(self)


class Pause(models.Model):
    """A stretch in which the trajectory rests (sickness, leave, a reorganisation). The
    method's clocks stand still: on resuming, due dates and the agreed end move on by its
    length, and the assignment's weeks leave it out."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("trajectory")
    )
    starts_on = models.DateField(_("paused from"))
    resume_on = models.DateField(_("expected back on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    by = recorded_by(_("recorded by"))

    history = HistoricalRecords()

    class QuerySet(TrajectoryPartQuerySet):
        def current(self):
            return self.filter(resumed_on__isnull=True)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(resumed_on__isnull=True),
                name="pause_one_current_per_trajectory",
                violation_error_message=_("This trajectory is already paused."),
            ),
            models.CheckConstraint(
                condition=Q(resume_on__gt=F("starts_on")),
                name="pause_resume_after_start",
                violation_error_message=_("The expected return must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("starts_on")),
                name="pause_resumed_after_start",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="pause_has_reason"),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.starts_on:%d-%m-%Y}"

    @property
    def days(self) -> int:
        """Days paused so far (until the return, once back)."""
        return ((self.resumed_on or timezone.localdate()) - self.starts_on).days


class PhaseChange(models.Model):
    """When a trajectory entered a phase, and who moved it: the timeline shows it."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="phase_changes",
        verbose_name=_("trajectory"),
    )
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices)
    changed_on = models.DateField(_("date"), default=timezone.localdate)
    by = recorded_by(_("by"))

    objects = TrajectoryPartQuerySet.as_manager()

    class Meta:
        ordering = ["changed_on", "phase"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=4), name="phase_change_phase_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.get_phase_display()}"


class MeetingKind(models.TextChoices):
    KICKOFF = "kickoff", _("kick-off meeting")
    DEPARTMENT_VISIT = "department_visit", _("department visit")
    ONE_TO_ONE = "one_to_one", _("one-to-one with a trainer")
    PEER_REVIEW = "peer_review", _("peer-review meeting")
    CLOSING = "closing", _("closing")


class Meeting(models.Model):
    """A meeting the coach organises: a department visit, a one-to-one with a trainer, a
    kick-off, a peer-review meeting or a closing. Planned first; once held, the coach writes
    down what came of it and who was there."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    scheduled_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    organiser = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="meetings_organised",
        verbose_name=_("organiser"),
    )
    trainer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="one_to_ones",
        verbose_name=_("workplace trainer"),
        help_text=_("For a one-to-one: the trainer the coach talks with."),
    )
    departments = models.ManyToManyField(
        Department, related_name="meetings", blank=True, verbose_name=_("departments")
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # iCalendar's SEQUENCE: raised with every change the invitees are sent, so their calendar
    # takes the newest invitation over an older one (RFC 5546)
    sequence = models.PositiveIntegerField(_("version of the invitation"), default=0)

    class QuerySet(models.QuerySet):
        def visible_to(self, user):
            return self.filter(access.meeting_q(user))

        def invitations_of(self, person_id):
            """The meetings `person_id` is invited to and that are still to come."""
            return self.filter(
                pk__in=MeetingAttendance.objects.filter(person_id=person_id).values("meeting_id"),
                held_on__isnull=True,
                scheduled_at__gt=timezone.now(),
            ).order_by("scheduled_at")

        def of_kind(self, kind):
            return self.filter(kind=kind) if kind else self

        def held(self):
            return self.filter(held_on__isnull=False).order_by("-held_on", "-scheduled_at")

        def to_record(self):
            """Their time has come, and nothing is written down yet."""
            return self.filter(held_on__isnull=True, scheduled_at__lte=timezone.now()).order_by(
                "scheduled_at"
            )

        def upcoming(self):
            return self.filter(held_on__isnull=True, scheduled_at__gt=timezone.now()).order_by(
                "scheduled_at"
            )

        def for_list(self):
            """With who is invited and who was there counted per meeting listed, through the
            attendance index: joining every attendance and grouping read them all (the
            planner cannot tell how few meetings the scope leaves)."""
            attendances = MeetingAttendance.objects.filter(meeting=OuterRef("pk")).order_by()
            return (
                self.select_related("organiser", "trainer")
                .prefetch_related("departments")
                .annotate(
                    invited=_count(attendances),
                    present=_count(attendances.filter(attended=True)),
                )
            )

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values),
                name="meeting_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind=MeetingKind.ONE_TO_ONE, trainer__isnull=False)
                | (~Q(kind=MeetingKind.ONE_TO_ONE) & Q(trainer__isnull=True)),
                name="meeting_trainer_for_one_to_one_only",
                violation_error_message=_(
                    "A one-to-one is with one trainer; other meetings have invitees."
                ),
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=False) | Q(notes=""),
                name="meeting_notes_once_held",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.scheduled_at):%d-%m-%Y}"

    @property
    def name(self) -> str:
        return self.title or str(self.get_kind_display()).capitalize()

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    @property
    def is_due(self) -> bool:
        """Its time has come: it can be written down."""
        return self.scheduled_at <= timezone.now()


class MeetingAttendance(models.Model):
    # indexed by meeting (the unique constraint) and by person (`attendance_by_person`), each
    # with the other column, so neither needs an index of its own
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
        db_index=False,
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("person"),
        db_index=False,
    )
    attended = models.BooleanField(
        _("attended"), null=True, blank=True, help_text=_("Empty until the meeting has been held.")
    )

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]
        indexes = [models.Index(fields=["person", "meeting"], name="attendance_by_person")]

    def __str__(self):
        return str(self.person)


class Escalation(models.Model):
    """A problem the coach cannot solve and puts to the project manager."""

    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("raised by")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name=_("department"),
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("trajectory"),
    )
    subject = models.CharField(_("subject"), max_length=150)
    description = models.TextField(_("description"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = optional_person(_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    solved_by = optional_person(_("marked solved by"))
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)

    class QuerySet(models.QuerySet):
        def visible_to(self, user):
            return self.filter(access.escalation_q(user))

        def counted_for(self, user):
            return self.filter(access.counted_escalations_q(user))

        def with_turn(self):
            """`waits_for_manager`: not solved, and not answered yet or followed up by the
            coach since (the thread's last message is not the project manager's)."""
            last = EscalationMessage.objects.filter(escalation=OuterRef("pk")).order_by(
                "-written_at", "-pk"
            )
            # no follow-up yet counts as the project manager's word: the answer is the last
            return self.annotate(
                last_by_manager=Coalesce(
                    Subquery(last.values("by_project_manager")[:1]), models.Value(True)
                )
            ).annotate(
                waits_for_manager=models.ExpressionWrapper(
                    Q(solved_at__isnull=True)
                    & (Q(answered_at__isnull=True) | Q(last_by_manager=False)),
                    output_field=models.BooleanField(),
                )
            )

        def waiting_for_manager(self):
            return self.with_turn().filter(waits_for_manager=True)

        def open(self):
            """Waiting for the project manager, oldest first."""
            return self.waiting_for_manager().order_by("raised_at")

        def answered(self):
            """Answered and not followed up since, or solved: newest answer first."""
            return (
                self.with_turn()
                .filter(waits_for_manager=False)
                .order_by(F("answered_at").desc(nulls_last=True), "-raised_at")
            )

        def for_list(self):
            return self.select_related(
                "raised_by", "department", "trajectory__participant", "answered_by"
            )

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="escalation_answer_with_date",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_solved(self) -> bool:
        return self.solved_at is not None


class EscalationMessage(models.Model):
    """A follow-up on an answered escalation, by the coach or the project manager: the thread
    stays with the escalation, also once it is solved."""

    escalation = models.ForeignKey(
        Escalation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("escalation"),
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    # whose turn it is next follows from it, whatever roles the author holds later
    by_project_manager = models.BooleanField(_("by the project manager"))
    text = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("follow-up on an escalation")
        verbose_name_plural = _("follow-ups on escalations")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="escalation_message_has_text"),
        ]

    def __str__(self):
        return f"{self.escalation} — {self.author}"


class ParticipantLink(models.Model):
    """The participant's personal link: a long random token that opens their own pages, without
    a password. Only the token's hash is kept (as for a password), so the database cannot give
    it away; the trainer sees the token once, when it is made. A new link replaces the row and
    so ends the old one; a closed or stopped trajectory ends it too (checked at use)."""

    trajectory = models.OneToOneField(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="participant_link",
        verbose_name=_("trajectory"),
    )
    token_hash = models.CharField(_("hash of the token"), max_length=64, unique=True)
    made_by = recorded_by(_("made by"))
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self):
        return f"{self.trajectory} ({self.made_at:%d-%m-%Y})"


class LinkMiss(Miss):
    """A personal link that did not work."""

    class Meta:
        verbose_name = _("personal link that did not work")
        verbose_name_plural = _("personal links that did not work")


class WordsKind(models.TextChoices):
    """What the participant writes on their own pages."""

    ANSWER = "answer", _("answer to a general question")
    LOOK_BACK = "look_back", _("how it went")
    WISH = "wish", _("what I want to learn")
    QUESTION = "question", _("question for the trainer")


PER_ASSIGNMENT = [WordsKind.ANSWER, WordsKind.LOOK_BACK]


class ParticipantWords(Versioned):
    """What the participant wrote themselves, in their own words: an answer to a general
    question of an assignment (`progress` and `question`, counted from 1), how the get-started
    task went (`progress`), what they want to learn, or a question for the trainer. One row per
    place to write; every save is kept in the history, so two devices lose nothing. How the
    get-started task went can also be a face they chose (`feeling`), with or without words."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="words", verbose_name=_("trajectory")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=WordsKind.choices)
    progress = models.ForeignKey(
        AssignmentProgress,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="words",
        verbose_name=_("assignment"),
    )
    question = models.PositiveSmallIntegerField(_("question number"), default=0)
    text = models.TextField(_("text"), blank=True)
    feeling = models.CharField(_("how it went"), max_length=10, choices=Feeling.choices, blank=True)
    written_at = models.DateTimeField(_("written at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = TrajectoryPartQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "progress_id", "question"]
        verbose_name = _("participant's words")
        verbose_name_plural = _("participant's words")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=WordsKind.values), name="participant_words_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PER_ASSIGNMENT, progress__isnull=False)
                | (~Q(kind__in=PER_ASSIGNMENT) & Q(progress__isnull=True)),
                name="participant_words_assignment_when_per_assignment",
            ),
            models.CheckConstraint(
                condition=Q(kind=WordsKind.ANSWER, question__gte=1)
                | (~Q(kind=WordsKind.ANSWER) & Q(question=0)),
                name="participant_words_question_for_answers",
            ),
            models.CheckConstraint(
                condition=Q(feeling="") | Q(kind=WordsKind.LOOK_BACK, feeling__in=Feeling.values),
                name="participant_words_feeling_for_look_back",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "kind"],
                condition=Q(progress__isnull=True),
                name="participant_words_once_per_trajectory",
            ),
            models.UniqueConstraint(
                fields=["progress", "kind", "question"],
                condition=Q(progress__isnull=False),
                name="participant_words_once_per_place",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.get_kind_display()}"


class MailKind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    CHANGE = "change", _("changed invitation")
    CANCELLATION = "cancellation", _("cancellation")
    ESCALATION = "escalation", _("new escalation")
    ESCALATION_ANSWER = "escalation_answer", _("answer to an escalation")
    ESCALATION_MESSAGE = "escalation_message", _("follow-up on an escalation")
    ESCALATION_SOLVED = "escalation_solved", _("escalation solved")
    PASSWORD_RESET = "password_reset", _("link for a new password")
    TRAINER_WEEK = "trainer_week", _("the trainer's week")
    COACH_DIGEST = "coach_digest", _("the coach's signals")


class Mail(models.Model):
    """One e-mail the app sends, kept until it is out (`trajects.mail`): written in the same
    transaction as the step it tells about, sent by the background worker, tried again while
    the mail server does not take it. So a mail server that is down loses nothing, and the
    sender's page shows what did not go out."""

    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    recipient = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(_("address"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    calendar = models.TextField(_("calendar invitation (.ics)"), blank=True)
    sender = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("meeting"),
    )
    escalation = models.ForeignKey(
        Escalation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("escalation"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    class QuerySet(models.QuerySet):
        def failed(self):
            return self.filter(failed_at__isnull=False)

        def unsent(self):
            return self.filter(sent_at__isnull=True)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MailKind.values), name="mail_kind_valid"),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(failed_at__isnull=True),
                name="mail_sent_or_failed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def has_failed(self) -> bool:
        return self.failed_at is not None


class ReportPdf(models.Model):
    """A project manager's PDF report too large to make during a request: the background
    worker makes it (`trajects.tasks`), a page shows how far it is and offers the file."""

    class Step(models.TextChoices):
        WAITING = "waiting", _("Waiting for its turn")
        COUNTING = "counting", _("Counting the figures")
        DRAWING = "drawing", _("Laying out the pages")
        READY = "ready", _("Ready")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    period_label = models.CharField(_("period"), max_length=100)
    unit = models.ForeignKey(
        "wpo.BusinessUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business unit"),
    )
    names = models.BooleanField(_("with participant names"), default=False)
    # the worker writes in the language the report was asked in
    language = models.CharField(_("language"), max_length=10)
    step = models.CharField(_("step"), max_length=10, choices=Step, default=Step.WAITING)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class QuerySet(models.QuerySet):
        def visible_to(self, user):
            return self.filter(access.requested_by_q(user))

        def ready(self):
            return self.filter(step=ReportPdf.Step.READY)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("PDF report")
        verbose_name_plural = _("PDF reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="report_pdf_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(step="ready", pdf__isnull=False, finished_at__isnull=False)
                | (~Q(step="ready") & Q(pdf__isnull=True, finished_at__isnull=True)),
                name="report_pdf_file_when_ready",
            ),
        ]

    def __str__(self):
        return self.period_label

    @property
    def is_ready(self) -> bool:
        return self.step == self.Step.READY

    @property
    def step_number(self) -> int:
        """1, 2 or 3 of the steps before ready; 3 when ready too."""
        return min(self.Step.values.index(self.step) + 1, 3)


class ReminderKind(models.TextChoices):
    TRAINER_WEEK = "trainer_week", _("the trainer's week")
    COACH_DIGEST = "coach_digest", _("the coach's signals")


class SentReminder(models.Model):
    """A weekly reminder that went out (`manage.py send_reminders`): nobody gets the same one
    twice in a week, however often or on however many machines the command runs."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    week = models.CharField(_("week"), max_length=8, help_text=_("ISO week, as 2026-W07."))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "week"], name="sent_reminder_once_a_week"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="sent_reminder_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.week} {self.kind}"


# ---- the organisation's figures of past months, kept (`trajects.reports.months`) ----------------


class SummarizedMonth(models.Model):
    """A month whose figures (`MonthFigures`, `MonthSkillFigures`) are kept, for every
    department, counted under these norms up to `through`: the manager's report adds up kept
    months instead of reading every row of a year again."""

    month = models.DateField(_("month"), unique=True, help_text=_("Its first day."))
    through = models.DateField(
        _("counted through"),
        help_text=_("The last day counted: the month's last, or yesterday in the month under way."),
    )
    trajectory_min_days = models.PositiveIntegerField()
    trajectory_max_days = models.PositiveIntegerField()
    assignment_weeks = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("summarized month")
        verbose_name_plural = _("summarized months")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class MonthFigures(models.Model):
    """What one department did in one past month; a department that did nothing has no row."""

    month = models.DateField(_("month"))
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    started = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    trajectory_days_sum = models.IntegerField(default=0)
    shorter = models.PositiveIntegerField(default=0)
    longer = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    assignment_days_sum = models.IntegerField(default=0)
    over_norm = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("figures of a month")
        verbose_name_plural = _("figures of months")
        constraints = [
            models.UniqueConstraint(fields=["month", "department"], name="month_figures_once")
        ]

    def __str__(self):
        return f"{self.department} {self.month:%Y-%m}"


class MonthSkillFigures(models.Model):
    """Per business unit, skill and level, the assignments passed and the skills assessed in
    one past month (the report shows them per skill, for a unit or all)."""

    month = models.DateField(_("month"))
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("business unit")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="+", verbose_name=_("skill")
    )
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    passed = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("skill figures of a month")
        verbose_name_plural = _("skill figures of months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "business_unit", "skill", "level"],
                name="month_skill_figures_once",
            )
        ]

    def __str__(self):
        return f"{self.business_unit} {self.month:%Y-%m} {self.skill} {self.level}"
