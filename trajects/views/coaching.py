"""The coach's own work: meetings and escalations.

A coach plans and writes down their meetings (department visits, one-to-ones with a trainer,
kick-offs, peer-review meetings, closings) and puts to the project manager the problems they
cannot solve; the project manager answers (DOMAIN.md, "The three roles"). The project manager
reads every meeting; an invitee reads the meeting they are invited to; only the organiser
changes one.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from trajects import forms, mail, services
from trajects.models import (
    Escalation,
    Mail,
    MailKind,
    Meeting,
    MeetingKind,
    Phase,
    Trajectory,
)
from trajects.reports.dashboards import trainer_figures
from wpo import access
from wpo.http import INVALID, run_step, wants_part
from wpo.idempotency import idempotent
from wpo.models import Department, Person, Role

MEETINGS = "trajects/meeting_list.html"
HISTORY_PAGE_SIZE = 25

# Meetings


@require_GET
@access.role_required(Role.COACH, Role.PROJECT_MANAGER, Role.TRAINER)
@vary_on_headers("HX-Request")
def meetings(request):
    """The meetings the user may see: a coach's and the project manager's to run; a trainer's
    (the ones they are invited to) to read."""
    kind = request.GET.get("kind", "")
    if kind not in MeetingKind.values:
        kind = ""
    visible = Meeting.objects.visible_to(request.user).of_kind(kind).for_list()
    context = {
        "kind": kind,
        "kinds": MeetingKind.choices,
        "to_record": visible.to_record(),
        "upcoming": visible.upcoming(),
        "held": _page(request, visible.held()),
        "unsent": _unsent(request),
    }
    template = f"{MEETINGS}#meetings" if wants_part(request) else MEETINGS
    return render(request, template, context)


def _page(request, history):
    """What is done (held meetings, answered escalations) grows for ever: a page at a time,
    newest first."""
    return Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))


def _unsent(request):
    """The coach's e-mails that did not go out, of meetings called off since too."""
    person_id = access.scope_of(request.user).person_id
    return (
        Mail.objects.failed()
        .filter(sender_id=person_id, kind=MailKind.CANCELLATION, meeting__isnull=True)
        .exists()
    )


def _coached(request):
    return Department.objects.coached_by(request.user)


def _meeting_form(request, kind, *, chosen=None, initial=None):
    """The form, offering the people of the departments ticked so far: htmx asks again for
    the invitees when a department is ticked (`narrow`), with what was ticked."""
    departments = _coached(request)
    if request.method == "GET" and "narrow" in request.GET:
        ticked = [pk for pk in request.GET.getlist("departments") if pk.isdigit()]
        chosen = departments.filter(pk__in=ticked[:100]) if ticked else None
        initial = {"invitees": request.GET.getlist("invitees")[:1000]}
    return forms.MeetingForm(
        request.POST or None,
        kind=kind,
        departments=departments,
        organiser_id=access.scope_of(request.user).person_id,
        chosen=chosen,
        initial=initial,
    )


def _invitees_part(request, form):
    return render(request, "trajects/meeting_form.html#invitees", {"form": form})


@require_http_methods(["GET", "POST"])
@access.role_required(Role.COACH)
@vary_on_headers("HX-Request")
@idempotent
def meeting_plan(request, kind):
    if kind not in MeetingKind.values:
        raise Http404
    form = _meeting_form(request, kind)
    if "narrow" in request.GET:
        return _invitees_part(request, form)
    if form.is_valid():
        meeting = run_step(
            form, services.plan_meeting, kind=kind, **form.cleaned_data, by=request.user
        )
        if meeting:
            messages.success(request, _("The meeting is planned."))
            return redirect("trajects:meeting", pk=meeting.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "kind": MeetingKind(kind)}
    return render(request, "trajects/meeting_form.html", context, status=status)


@require_GET
@login_required
def meeting_detail(request, pk):
    meeting = access.get_visible_or_404(
        Meeting.objects.select_related("organiser", "trainer").prefetch_related("departments"),
        request.user,
        pk=pk,
    )
    figures = None
    if meeting.trainer_id:
        trajectories = Trajectory.objects.visible_to(request.user).guided_by(meeting.trainer_id)
        figures = trainer_figures(trajectories)
    is_organiser = access.may_organise(request.user, meeting)
    context = {
        "meeting": meeting,
        "invitees": _invitee_rows(request, meeting, is_organiser),
        "is_organiser": is_organiser,
        "notes": access.may_read_meeting_notes(
            request.user, meeting, [d.pk for d in meeting.departments.all()]
        ),
        "unsent": is_organiser and meeting.mails.failed().exists(),
        "figures": figures,
        "phases": Phase.choices,
    }
    return render(request, "trajects/meeting_detail.html", context)


@dataclass
class Invitee:
    person: Person
    attended: bool | None  # None also when the user may not know it
    mail: Mail | None = None
    reachable: bool = True


def _invitee_rows(request, meeting, is_organiser) -> list[Invitee]:
    """Who is invited, as the user may see it: everyone with their attendance (the organiser,
    the project manager); an invitee everyone, with the attendance of their own people only; a
    coach of one of its departments only the invitees of their own departments. The organiser
    also sees how each e-mail fared."""
    attendances = meeting.attendances.select_related("person__user").order_by(
        "person__last_name", "person__first_name"
    )
    shown, attendance_known = access.meeting_invitees_shown(
        request.user, meeting, [a.person_id for a in attendances]
    )
    rows = [
        Invitee(a.person, a.attended if a.person_id in attendance_known else None)
        for a in attendances
        if a.person_id in shown
    ]
    if is_organiser:
        latest = {m.recipient_id: m for m in meeting.mails.order_by("created_at", "pk")}
        for row in rows:
            row.mail = latest.get(row.person.pk)
            row.reachable = bool(mail.address_of(row.person))
    return rows


@require_POST
@login_required
@idempotent
def meeting_mail_again(request, pk):
    """Send the e-mails that did not go out once more (the mail server is back)."""
    meeting = _organised_meeting(request, pk)
    count = mail.try_again(meeting.mails.all())
    messages.success(
        request,
        ngettext("%(count)d e-mail is sent again.", "%(count)d e-mails are sent again.", count)
        % {"count": count},
    )
    return redirect("trajects:meeting", pk=meeting.pk)


def _organised_meeting(request, pk):
    """A meeting the user organised: 404 when they may not see it, 403 when they only may."""
    meeting = access.get_visible_or_404(Meeting.objects.all(), request.user, pk=pk)
    if not access.may_organise(request.user, meeting):
        raise PermissionDenied
    return meeting


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
@idempotent
def meeting_edit(request, pk):
    """Move a planned meeting, change who is invited, or call it off."""
    meeting = _organised_meeting(request, pk)
    if meeting.is_held:
        messages.info(request, _("This meeting has been held; correct its record instead."))
        return redirect("trajects:meeting_record", pk=meeting.pk)
    initial = {
        "scheduled_at": meeting.scheduled_at,
        "title": meeting.title,
        "location": meeting.location,
        "trainer": meeting.trainer_id,
        "departments": [d.pk for d in meeting.departments.all()],
        "invitees": list(meeting.attendances.values_list("person_id", flat=True)),
    }
    form = _meeting_form(request, meeting.kind, chosen=meeting.departments.all(), initial=initial)
    if "narrow" in request.GET:
        return _invitees_part(request, form)
    if request.method == "POST" and "cancel" in request.POST:
        if run_step(form, services.cancel_meeting, meeting, by=request.user):
            messages.success(request, _("The meeting is called off."))
            return redirect("trajects:meetings")
    elif form.is_valid() and run_step(
        form, services.change_meeting, meeting, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The meeting is changed."))
        return redirect("trajects:meeting", pk=meeting.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "kind": MeetingKind(meeting.kind), "meeting": meeting}
    return render(request, "trajects/meeting_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def meeting_record(request, pk):
    """Write down a held meeting: what came of it, who was there. Again, to correct it."""
    meeting = _organised_meeting(request, pk)
    attendances = list(meeting.attendances.all())
    form = forms.MeetingRecordForm(
        request.POST or None,
        invitees=Person.objects.filter(attendances__meeting=meeting),
        initial={
            "held_on": meeting.held_on or timezone.localdate(meeting.scheduled_at),
            "notes": meeting.notes,
            "attended": [a.person_id for a in attendances if a.attended],
        },
    )
    if form.is_valid() and run_step(
        form, services.record_meeting, meeting, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The meeting is written down."))
        return redirect("trajects:meeting", pk=meeting.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "meeting": meeting}
    return render(request, "trajects/meeting_record.html", context, status=status)


# Escalations


@require_GET
@access.role_required(Role.COACH, Role.PROJECT_MANAGER)
def escalations(request):
    visible = Escalation.objects.visible_to(request.user).for_list()
    context = {"open": visible.open(), "answered": _page(request, visible.answered())}
    return render(request, "trajects/escalation_list.html", context)


def _trajectory_asked(request):
    try:
        return int(request.GET["trajectory"])
    except (KeyError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@access.role_required(Role.COACH)
@idempotent
def escalation_new(request):
    """Raise a problem to the project manager; from a participant's page, about them."""
    trajectories = (
        Trajectory.objects.in_coached_departments(request.user)
        .active()
        .select_related("participant", "department")
        .order_by("participant__last_name", "participant__first_name")
    )
    about = trajectories.filter(pk=_trajectory_asked(request)).first()
    initial = {"trajectory": about, "department": about.department_id} if about else {}
    form = forms.EscalationForm(
        request.POST or None,
        departments=_coached(request),
        trajectories=trajectories,
        initial=initial,
    )
    if form.is_valid() and run_step(
        form, services.raise_escalation, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The problem is with the project manager now."))
        return redirect("trajects:escalations")
    status = INVALID if form.errors else 200
    return render(request, "trajects/escalation_form.html", {"form": form}, status=status)


def _escalation_page(request, escalation, status=200, **forms_given):
    context = {
        "escalation": escalation,
        "thread": escalation.messages.select_related("author"),
        "answer_form": forms_given.get("answer_form") or forms.AnswerForm(),
        "follow_up_form": forms_given.get("follow_up_form") or forms.FollowUpForm(),
        "may_answer": access.may_answer_escalations(request.user),
    }
    return render(request, "trajects/escalation_detail.html", context, status=status)


def _escalation(request, pk):
    """Whoever sees an escalation takes part in it: the coaches of its department and the
    project manager."""
    escalations = Escalation.objects.with_turn().for_list()
    return access.get_visible_or_404(escalations, request.user, pk=pk)


@require_GET
@login_required
def escalation_detail(request, pk):
    return _escalation_page(request, _escalation(request, pk))


@require_POST
@login_required
@idempotent
def escalation_answer(request, pk):
    escalation = _escalation(request, pk)
    if not access.may_answer_escalations(request.user):
        raise PermissionDenied
    form = forms.AnswerForm(request.POST)
    if form.is_valid() and run_step(
        form, services.answer_escalation, escalation, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The answer is sent; the coach sees it on their page."))
        return redirect("trajects:escalations")
    return _escalation_page(request, escalation, INVALID, answer_form=form)


@require_POST
@login_required
@idempotent
def escalation_follow_up(request, pk):
    escalation = _escalation(request, pk)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid() and run_step(
        form, services.follow_up_escalation, escalation, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("Your message is added and sent on."))
        return redirect("trajects:escalation", pk=escalation.pk)
    return _escalation_page(request, escalation, INVALID, follow_up_form=form)


@require_POST
@login_required
@idempotent
def escalation_solve(request, pk):
    escalation = _escalation(request, pk)
    form = forms.FollowUpForm()  # where a refusal lands
    if run_step(form, services.solve_escalation, escalation, by=request.user):
        messages.success(request, _("The escalation is marked solved; its thread is kept."))
        return redirect("trajects:escalation", pk=escalation.pk)
    return _escalation_page(request, escalation, INVALID, follow_up_form=form)
