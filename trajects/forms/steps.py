"""The forms of a trajectory's steps: intake and start, the skill choice, the assignment
cycle, the assessment and the phase changes. They parse and check input; the rules of the method
are in `trajects.services`, whose refusals `wpo.forms.add_refusal` puts on the form."""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments.models import Level
from trajects.services import (
    add_months,
    unusual_period,
)
from wpo.forms import (
    PersonChoiceField,
    VersionedForm,
    date_field,
    text_field,
    today,
)
from wpo.models import Person

WEEK = datetime.timedelta(days=7)


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        weeks = obj.expected_weeks
        return _("%(level)s · %(number)s. %(title)s (%(weeks)s): %(goal)s") % {
            "level": obj.level,
            "number": obj.number,
            "title": obj.title,
            "weeks": ngettext("about %(weeks)s week", "about %(weeks)s weeks", weeks)
            % {"weeks": weeks},
            "goal": obj.learning_goal,
        }


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

    @classmethod
    def of(cls, trajectory, data=None):
        """The form for this step of `trajectory`."""
        return cls(data)


class StopForm(StepForm):
    reason = text_field(_("Reason"), required=True, limit=1000)


class PauseForm(forms.Form):
    """A pause, and what becomes of the conversations planned during it: asked only when
    conversations are planned."""

    starts_on = date_field(_("Paused from"), initial=today)
    resume_on = date_field(_("Expected back on"))
    reason = text_field(_("Reason (sickness, leave, a reorganisation)"), required=True, limit=1000)
    call_off_planned = forms.TypedChoiceField(
        label=_("Conversations planned during the pause"),
        choices=[("yes", _("Call them off")), ("no", _("Keep them"))],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, planned=(), **kwargs):
        super().__init__(*args, **kwargs)
        moments = [timezone.localtime(c.planned_at) for c in planned]
        if not moments:
            del self.fields["call_off_planned"]
            return
        self.fields["call_off_planned"].help_text = _(
            "Planned now: %(moments)s. This is about those from the start of the pause until "
            "the return; the others stay."
        ) % {"moments": "; ".join(formats.date_format(m, "l j F, H:i") for m in moments)}

    @classmethod
    def of(cls, trajectory, data=None):
        planned = trajectory.conversations.planned().order_by("planned_at")
        return cls(data, planned=planned)
