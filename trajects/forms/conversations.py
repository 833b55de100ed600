"""The forms of guidance conversations and floor notes: plan, hold, move, correct, confirm."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajects.models import (
    AssignmentProgress,
    GuidanceConversation,
    Outcome,
)
from wpo.forms import (
    PersonChoiceField,
    VersionedForm,
    datetime_field,
    text_field,
)
from wpo.models import Person

NOTE_LIMIT = 1000


class ProgressChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.assignment.level} · {obj.assignment.title}"


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
        """`open_progress`: the assignments in progress. The outcomes offered are those that
        apply to them: to one being practised, or to one after its independent week."""
        super().__init__(*args, **kwargs)
        self.fields["planned"].queryset = planned
        self.fields["progress"].queryset = AssignmentProgress.objects.filter(
            pk__in=[row.pk for row in open_progress]
        ).select_related("assignment")
        applies = {outcome for row in open_progress for outcome in Outcome.for_status(row.status)}
        self.fields["outcome"].choices = [
            (value, label) for value, label in Outcome.choices if value in applies
        ]
        self.fields["progress"].empty_label = _("(no assignment in particular)")
        self.fields["second_assessor"].queryset = coaches


class ConversationEditForm(VersionedForm, ConversationTextForm):
    pass


class MoveForm(VersionedForm, PlanForm):
    pass


class ConfirmForm(VersionedForm):
    initials = forms.CharField(label=_("Your initials"), max_length=8)
