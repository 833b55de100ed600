"""The coach's participant list, narrowed down."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajects import norms
from trajects.models import (
    Phase,
)
from wpo.forms import (
    PersonChoiceField,
)
from wpo.models import Department, Person


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
