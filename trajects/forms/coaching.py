"""The forms of the coach's own work: meetings and escalations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajects.models import (
    Interest,
    MeetingKind,
    Trajectory,
)
from trajects.services import (
    invitable_management,
    invitable_participants,
    invitable_trainers,
)
from wpo.forms import (
    ManyField,
    PersonChoiceField,
    date_field,
    datetime_field,
    text_field,
)
from wpo.models import Department, Person


def invitee_choices(kind, departments, organiser_id=None) -> list:
    """The people a coach may invite, grouped per department: its trainers and (not for a
    peer review, which is for trainers) its participants, those on the waiting list marked;
    then, for a kick-off or a closing, the coaches and the project manager."""
    groups = {}
    trainers = invitable_trainers(departments).select_related("person", "department")
    for role in trainers.order_by("person__last_name", "person__first_name"):
        groups.setdefault((role.department.name, 0), []).append(
            (role.person.pk, role.person.full_name)
        )
    waiting = set(
        Interest.objects.filter(department__in=departments)
        .waiting()
        .values_list("person_id", flat=True)
    )
    participants = invitable_participants(kind, departments).select_related("department")
    for person in participants.order_by("last_name", "first_name"):
        name = person.full_name
        if person.pk in waiting:
            name = _("%(name)s (waiting to start)") % {"name": name}
        groups.setdefault((person.department.name, 1), []).append((person.pk, name))
    labels = {0: _("%(department)s: trainers"), 1: _("%(department)s: participants")}
    choices = [
        (labels[which] % {"department": name}, people)
        for (name, which), people in sorted(groups.items())
    ]
    management = invitable_management(kind, departments, organiser_id)
    people = [(p.pk, p.full_name) for p in management.order_by("last_name", "first_name")]
    if people:
        choices.append((_("Coach and project manager"), people))
    return choices


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

    def __init__(self, *args, kind, departments, organiser_id=None, chosen=None, **kwargs):
        """`chosen`: the departments ticked so far, whose people are offered (all of
        `departments` without it)."""
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
        choices = invitee_choices(kind, departments if chosen is None else chosen, organiser_id)
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


class FollowUpForm(forms.Form):
    text = text_field(_("Your message"), required=True, rows=4)
