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


class PlanField(forms.ModelChoiceField):
    """The planned conversation being recorded. One called off since the form was opened is
    gone: then None, and the conversation is recorded on its own (`planned_for` tells the
    view there was a plan)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


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
    """The handbook's conversation, in its order: the participant's story, what the trainer
    saw, what goes well, what was agreed. Two lines each to start: the box grows as one types."""

    participant_account = text_field(_("Did and learned"), required=True, rows=2)
    trainer_observations = text_field(
        _("What did you see? Concrete behaviour"), required=True, rows=2
    )
    positive_feedback = text_field(_("Goes well"), rows=2)
    agreements = text_field(_("Agreements"), rows=2)
    coach_present = forms.BooleanField(label=_("The coach was there"), required=False)


def now_to_five_minutes():
    """Now, rounded down: a conversation that took place is not dated in the future."""
    now = timezone.localtime()
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


class ConversationForm(ConversationTextForm):
    """On the participant page, between two tasks: what is known (when, which assignment) is
    filled in and shown as a line of text to change on demand; the outcomes offered are those
    that apply now; the rarely used fields are folded away."""

    KNOWN = ("held_at", "progress")
    MORE = ("coach_present", "second_assessor", "next_planned_at")

    held_at = datetime_field(_("Held on"), initial=now_to_five_minutes)
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
    planned = PlanField(
        queryset=GuidanceConversation.objects.none(), required=False, widget=forms.HiddenInput
    )
    # when that conversation was planned as the form was opened: it may be moved before a save
    # from the outbox arrives
    planned_for = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    field_order = ["held_at", "progress"]

    def __init__(self, *args, open_progress, coaches, planned, **kwargs):
        """`open_progress`: the assignments in progress. The outcomes offered are those that
        apply to them: to one being practised, or to one after its independent week."""
        super().__init__(*args, **kwargs)
        self.open_progress = open_progress
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

    def _value_of(self, name):
        """What the form holds for a field: its initial, or what was sent once it is valid."""
        if not self.is_bound:
            return self.get_initial_for_field(self.fields[name], name)
        return None if name in self.errors else self.cleaned_data.get(name)

    def known(self) -> dict:
        """The known facts, for the line of text that shows them."""
        return {name: self._value_of(name) for name in self.KNOWN}

    def known_open(self) -> bool:
        """The known facts are shown to change when one is refused, or when the assignment is
        not known: several are in progress and none was chosen."""
        unknown = len(self.open_progress) > 1 and self._value_of("progress") is None
        return unknown or any(name in self.errors for name in self.KNOWN)

    def more_open(self) -> bool:
        """The rarely used fields are shown when one of them is used or refused."""
        return any(name in self.errors or self._value_of(name) for name in self.MORE)


class ConversationEditForm(VersionedForm, ConversationTextForm):
    pass


class MoveForm(VersionedForm, PlanForm):
    pass


class ConfirmForm(VersionedForm):
    initials = forms.CharField(label=_("Your initials"), max_length=8)
