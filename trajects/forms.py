"""The forms of the trainer's flow. They parse and check input; the rules of the method are in
`trajects.services`, whose refusals `add_refusal` puts on the form."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from assignments.models import Level
from trajects import norms
from trajects.models import (
    AssignmentProgress,
    GuidanceConversation,
    MeetingKind,
    Outcome,
    Phase,
    Trajectory,
)
from trajects.services import (
    EditConflict,
    add_months,
    invitable_trainers,
    invitable_trajectories,
    unusual_period,
)
from wpo.forms import ManyField
from wpo.models import Department, Person

WEEK = datetime.timedelta(days=7)
TEXT_LIMIT = 4000
NOTE_LIMIT = 1000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def add_refusal(form, error: ValidationError):
    """A service's refusal on the form: at its field where the form has one, on top otherwise.
    An edit conflict also shows what was saved meanwhile, and the form takes on the saved
    version, so saving again (after taking over what is needed) is on purpose."""
    if isinstance(error, EditConflict):
        form.conflict = saved_lines(error)
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = error.saved.version
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def saved_lines(conflict: EditConflict) -> list[tuple[str, str]]:
    """(label, text) for each field of the row as someone else saved it."""
    row, lines = conflict.saved, []
    for name in conflict.fields:
        field, value = row._meta.get_field(name), getattr(row, name)
        if field.choices:
            value = getattr(row, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, datetime.datetime):
            value = formats.date_format(timezone.localtime(value), "j F Y, H:i")
        elif isinstance(value, datetime.date):
            value = formats.date_format(value, "j F Y")
        lines.append((capfirst(field.verbose_name), "" if value is None else str(value)))
    return lines


class VersionedForm(forms.Form):
    """An edit form: it carries the version of the row it was loaded with, so a save over
    someone else's newer save is refused (`services.EditConflict`). Empty on a page loaded
    before versions existed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def within_years(value):
    """Dates from this century only: a typo like 0202 or 20266 is caught here, before any
    date arithmetic."""
    if not 2000 <= value.year <= 2099:
        raise ValidationError(_("Choose a date between 2000 and 2099."), code="year")


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput, validators=[within_years], **kwargs)


def datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput,
        input_formats=[DATETIME_FORMAT],
        validators=[within_years],
        **kwargs,
    )


def text_field(label, *, required=False, limit=TEXT_LIMIT, rows=3, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(level)s · %(number)s. %(title)s (about %(weeks)s weeks): %(goal)s") % {
            "level": obj.level,
            "number": obj.number,
            "title": obj.title,
            "weeks": obj.expected_weeks,
            "goal": obj.learning_goal,
        }


class ProgressChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.assignment.level} · {obj.assignment.title}"


def today():
    return timezone.localdate()


class CoachFilterForm(forms.Form):
    """The coach's participant list, narrowed down; every field may stay empty, and a value
    that is not (or no longer) a choice is ignored and marked."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    trainer = PersonChoiceField(
        label=_("Workplace trainer"), queryset=Person.objects.none(), required=False
    )
    phase = forms.TypedChoiceField(
        label=_("Phase"), choices=Phase.choices, coerce=int, required=False, empty_value=None
    )
    signal = forms.ChoiceField(label=_("Signal"), required=False)

    def __init__(self, data, *, departments, trainers):
        super().__init__(data)
        self.departments, self.trainers = departments, trainers
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = _("all departments")
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].empty_label = _("all trainers")
        self.fields["phase"].choices = [("", _("all phases")), *Phase.choices]
        self.fields["signal"].choices = [
            ("", _("all participants")),
            ("any", _("with a signal")),
            ("red", _("red signals only")),
            (_("Signal"), norms.rule_choices()),
        ]

    def filter(self, trajectories):
        """`trajectories` (`with_signals()`) narrowed down by the valid fields."""
        self.is_valid()
        wanted = self.cleaned_data
        if wanted.get("department"):
            trajectories = trajectories.filter(department=wanted["department"])
        if wanted.get("trainer"):
            trajectories = trajectories.filter(trainer=wanted["trainer"])
        if wanted.get("phase"):
            trajectories = trajectories.filter(phase=wanted["phase"])
        signal = wanted.get("signal")
        if signal == "any":
            trajectories = trajectories.filter(signal_level__gt=norms.Severity.GREEN)
        elif signal == "red":
            trajectories = trajectories.filter(signal_level=norms.Severity.RED)
        elif signal:
            trajectories = trajectories.filter(**{f"norm_{signal}_level__gt": norms.Severity.GREEN})
        return trajectories


class InterestForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    first_name = forms.CharField(label=_("First name"), max_length=60)
    infix = forms.CharField(label=_("Infix"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=30,
        required=False,
        help_text=_("If known: the same number finds the same person."),
    )
    supervisor = PersonChoiceField(
        label=_("Direct supervisor"), queryset=Person.objects.none(), required=False
    )
    wish = text_field(_("What would the employee like to learn?"))
    registered_on = date_field(_("Registered on"), initial=today)

    def __init__(self, *args, departments, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["supervisor"].queryset = supervisors
        if len(departments) == 1:
            self.fields["department"].initial = departments[0]


class StartForm(forms.Form):
    trainer = PersonChoiceField(label=_("Workplace trainer"), queryset=Person.objects.none())
    coach = PersonChoiceField(label=_("Coach"), queryset=Person.objects.none())
    agreed_start = date_field(_("Agreed start"), initial=today)
    agreed_end = date_field(_("Agreed end"), initial=lambda: add_months(today(), 6))
    accept_period = forms.BooleanField(label=_("Yes, this is the period we agreed"), required=False)

    def __init__(self, *args, trainers, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers
        self.fields["coach"].queryset = coaches
        self.warning = ""

    def step_data(self) -> dict:
        """What `services.start_trajectory` takes."""
        return {k: v for k, v in self.cleaned_data.items() if k != "accept_period"}

    def clean(self):
        data = super().clean()
        start, end = data.get("agreed_start"), data.get("agreed_end")
        if start and end:
            if end <= start:
                self.add_error("agreed_end", _("The agreed end must be after the agreed start."))
            else:
                self.warning = unusual_period(start, end)
                if self.warning and not data.get("accept_period"):
                    self.add_error("accept_period", self.warning)
        return data


class SkillChoiceForm(forms.Form):
    """The skill choice card: per skill a tick and the level aimed at."""

    def __init__(self, *args, skills, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = skills
        for skill in skills:
            current = chosen.get(skill.pk)
            self.fields[f"skill_{skill.pk}"] = forms.BooleanField(
                label=skill.name, required=False, initial=current is not None
            )
            self.fields[f"level_{skill.pk}"] = forms.ChoiceField(
                label=_("Level aimed at"),
                choices=Level.choices,
                initial=current.target_level if current else Level.A,
                widget=forms.RadioSelect,
            )

    def rows(self):
        for skill in self.skills:
            yield skill, self[f"skill_{skill.pk}"], self[f"level_{skill.pk}"]

    def targets(self) -> dict:
        return {
            skill: self.cleaned_data[f"level_{skill.pk}"]
            for skill in self.skills
            if self.cleaned_data.get(f"skill_{skill.pk}")
        }


class IntroduceForm(forms.Form):
    assignment = AssignmentChoiceField(
        label=_("Assignment"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    introduced_on = date_field(_("Introduced on"), initial=today)

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments


class GetStartedForm(forms.Form):
    """Left empty (the one-tap button on the participant page): done today, look back in a
    week, counted when the tap arrives."""

    get_started_on = date_field(_("Get-started task done on"), initial=today, required=False)
    look_back_due_on = date_field(
        _("Look back together on"), initial=lambda: today() + WEEK, required=False
    )

    def clean(self):
        data = super().clean()
        if "get_started_on" in data and not data["get_started_on"]:
            data["get_started_on"] = today()
        if data.get("get_started_on") and not data.get("look_back_due_on"):
            data["look_back_due_on"] = data["get_started_on"] + WEEK
        return data


class LookBackForm(forms.Form):
    look_back_done_on = date_field(_("Looked back on"), initial=today, required=False)

    def clean_look_back_done_on(self):
        return self.cleaned_data["look_back_done_on"] or today()


class NoteForm(forms.Form):
    text = text_field(_("Floor note"), required=True, limit=NOTE_LIMIT, rows=2)
    progress = ProgressChoiceField(
        label=_("About"), queryset=AssignmentProgress.objects.none(), required=False
    )

    def __init__(self, *args, progress, **kwargs):
        """`progress`: the trajectory's assignments (a note may be about one just passed)."""
        super().__init__(*args, **kwargs)
        self.fields["progress"].queryset = progress


class PlanForm(forms.Form):
    planned_at = datetime_field(_("Date and time"))


class ConversationTextForm(forms.Form):
    participant_account = text_field(_("What did the participant do and learn?"), required=True)
    trainer_observations = text_field(
        _("What did you see? Concrete behaviour, with examples"), required=True
    )
    positive_feedback = text_field(_("Positive feedback: what already goes well"))
    agreements = text_field(_("Agreements"))
    coach_present = forms.BooleanField(label=_("The coach was there"), required=False)


class ConversationForm(ConversationTextForm):
    held_at = datetime_field(
        _("Held on"), initial=lambda: timezone.localtime().replace(second=0, microsecond=0)
    )
    progress = ProgressChoiceField(
        label=_("Assignment"), queryset=AssignmentProgress.objects.none(), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, required=False, widget=forms.RadioSelect
    )
    second_assessor = PersonChoiceField(
        label=_("Second assessor (when the assignment is passed)"),
        queryset=Person.objects.none(),
        required=False,
    )
    next_planned_at = datetime_field(_("Next conversation"), required=False)
    planned = forms.ModelChoiceField(
        queryset=GuidanceConversation.objects.none(), required=False, widget=forms.HiddenInput
    )
    field_order = ["held_at", "progress"]

    def __init__(self, *args, open_progress, coaches, planned, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned"].queryset = planned
        self.fields["progress"].queryset = open_progress
        self.fields["progress"].empty_label = _("(no assignment in particular)")
        self.fields["second_assessor"].queryset = coaches


class ConversationEditForm(VersionedForm, ConversationTextForm):
    pass


class MoveForm(VersionedForm, PlanForm):
    pass


class ConfirmForm(VersionedForm):
    initials = forms.CharField(label=_("Your initials"), max_length=8)


class AssessForm(VersionedForm):
    level = forms.ChoiceField(label=_("Level reached"), widget=forms.RadioSelect)
    assessed_on = date_field(_("Assessed on"), initial=today)
    assessed_by = PersonChoiceField(label=_("Assessor"), queryset=Person.objects.none())
    second_assessor = PersonChoiceField(
        label=_("Second assessor"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, highest, guides, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(v, label) for v, label in Level.choices if v <= highest]
        self.fields["level"].initial = highest
        self.fields["assessed_by"].queryset = guides
        self.fields["second_assessor"].queryset = guides


class StepForm(forms.Form):
    on = date_field(_("Date"), initial=today)


class StopForm(StepForm):
    reason = text_field(_("Reason"), required=True, limit=1000)


class PauseForm(forms.Form):
    starts_on = date_field(_("Paused from"), initial=today)
    resume_on = date_field(_("Expected back on"))
    reason = text_field(_("Reason (sickness, leave, a reorganisation)"), required=True, limit=1000)


# The coach's own work: meetings and escalations


def invitee_choices(kind, departments) -> list:
    """The people a coach may invite, grouped per department: its trainers, and (not for a
    peer review, which is for trainers) its participants."""
    groups = {}
    trainers = invitable_trainers(departments).select_related("person", "department")
    for role in trainers.order_by("person__last_name", "person__first_name"):
        groups.setdefault((role.department.name, 0), []).append(role.person)
    if kind != MeetingKind.PEER_REVIEW:
        trajectories = invitable_trajectories(departments).select_related(
            "participant", "department"
        )
        for trajectory in trajectories.order_by("participant__last_name"):
            groups.setdefault((trajectory.department.name, 1), []).append(trajectory.participant)
    labels = {0: _("%(department)s: trainers"), 1: _("%(department)s: participants")}
    return [
        (labels[which] % {"department": name}, [(p.pk, p.full_name) for p in people])
        for (name, which), people in sorted(groups.items())
    ]


class MeetingForm(forms.Form):
    """Plan or change a meeting. A one-to-one is with one trainer; other meetings are for
    departments the coach coaches, with invitees from them."""

    scheduled_at = datetime_field(_("Date and time"))
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("Optional; without a title the kind of meeting is shown."),
    )
    location = forms.CharField(label=_("Location"), max_length=120, required=False)
    trainer = PersonChoiceField(label=_("Workplace trainer"), queryset=Person.objects.none())
    departments = ManyField(label=_("For the departments"), queryset=Department.objects.none())
    invitees = ManyField(
        label=_("Invitees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-groups"}),
    )

    def __init__(self, *args, kind, departments, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == MeetingKind.ONE_TO_ONE:
            del self.fields["departments"], self.fields["invitees"]
            trainers = invitable_trainers(departments).values("person")
            self.fields["trainer"].queryset = Person.objects.filter(pk__in=trainers)
            return
        del self.fields["trainer"]
        self.fields["departments"].queryset = departments
        if len(departments) == 1:
            self.fields["departments"].initial = [departments[0].pk]
        choices = invitee_choices(kind, departments)
        invitees = self.fields["invitees"]
        invitees.queryset = Person.objects.filter(
            pk__in=[pk for _group, people in choices for pk, _name in people]
        )
        invitees.choices = choices
        if kind == MeetingKind.PEER_REVIEW:
            invitees.label = _("Trainers invited")


class MeetingRecordForm(forms.Form):
    held_on = date_field(_("Held on"))
    notes = text_field(_("What was discussed and agreed"), required=True, rows=6)
    attended = ManyField(
        label=_("Who was there?"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Tick who came; the others are recorded as absent."),
    )

    def __init__(self, *args, invitees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = invitees
        if not invitees:
            del self.fields["attended"]


class TrajectoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.participant.full_name} · {obj.department}"


class EscalationForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    trajectory = TrajectoryChoiceField(
        label=_("About one participant (optional)"),
        queryset=Trajectory.objects.none(),
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    description = text_field(
        _("What is the problem, and what have you tried already?"), required=True, rows=6
    )

    def __init__(self, *args, departments, trajectories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["trajectory"].queryset = trajectories
        self.fields["trajectory"].empty_label = _("(not about one participant)")
        if len(departments) == 1:
            self.fields["department"].initial = departments[0]


class AnswerForm(forms.Form):
    answer = text_field(_("Your answer to the coach"), required=True, rows=6)
