"""The workplace trainer's pages: their home, intake and start, the skill choice, the
participant's page with its floor notes and guidance conversations, the steps of an assignment,
the assessment and the phase changes."""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from assignments.models import Skill
from trajects import forms, handout, history, services, timeline
from trajects.models import (
    AssignmentProgress,
    GuidanceConversation,
    Interest,
    Meeting,
    Trajectory,
    TrajectorySkill,
    WordsKind,
)
from wpo import access
from wpo.http import INVALID, pdf_response, posted_from, run_step, wants_part
from wpo.idempotency import AnswerAfterCommit, idempotent
from wpo.models import Department, Person, Role
from wpo.services import why_not

DETAIL = "trajects/trajectory_detail.html"


@require_GET
@access.role_required(Role.TRAINER)
def trainer_home(request):
    trajectories = (
        Trajectory.objects.visible_to(request.user)
        .active()
        .guided_by(access.scope_of(request.user).person_id)
        .with_overview()
        .next_first()
    )
    waiting = _waiting(request.user)
    invitations = Meeting.objects.invitations_of(access.scope_of(request.user).person_id)
    return render(
        request,
        "trajects/trainer_home.html",
        {
            "groups": _by_when(trajectories, timezone.localdate()),
            "waiting": waiting,
            "invitations": invitations,
        },
    )


TODAY = gettext_lazy("Today")
THIS_WEEK = gettext_lazy("This week")
LATER = gettext_lazy("Later")
NOTHING_PLANNED = gettext_lazy("No conversation planned")


def _when(trajectory, today):
    """The heading a participant goes under on the trainer home: a conversation still to record
    is today's work; the week is the calendar week, up to and including Sunday."""
    at = trajectory.overdue_conversation_at or trajectory.next_conversation_at
    if at is None:
        return NOTHING_PLANNED
    day = timezone.localdate(at)
    if day <= today:
        return TODAY
    if day <= today + datetime.timedelta(days=6 - today.weekday()):
        return THIS_WEEK
    return LATER


def _by_when(trajectories, today):
    """(heading, participants) in the order of `next_first()`, which keeps each group together."""
    grouped = itertools.groupby(trajectories, key=lambda trajectory: _when(trajectory, today))
    return [(heading, list(rows)) for heading, rows in grouped]


def _waiting(user):
    return (
        Interest.objects.visible_to(user)
        .filter(access.intake_departments_q(user, "department__"))
        .waiting()
        .select_related("person", "department", "supervisor")
    )


# Phase 1: intake and start


@require_http_methods(["GET", "POST"])
@access.role_required(Role.TRAINER, Role.COACH)
@idempotent
def interest_new(request):
    departments = Department.objects.filter(access.intake_departments_q(request.user))
    supervisors = Person.objects.in_role(Role.TRAINER, departments=departments)
    form = forms.InterestForm(
        request.POST or None,
        departments=departments,
        supervisors=supervisors,
        initial={"supervisor": access.scope_of(request.user).person_id},
    )
    if form.is_valid():
        interest = run_step(form, services.register_interest, **form.cleaned_data, by=request.user)
        if interest:
            messages.success(
                request,
                _("%(name)s is registered. Start the trajectory now, or later from your page.")
                % {"name": interest.person.full_name},
            )
            return redirect("trajects:trajectory_start", pk=interest.pk)
    status = INVALID if form.errors else 200
    return render(request, "trajects/interest_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def trajectory_start(request, pk):
    interest = access.get_visible_or_404(
        Interest.objects.select_related("person", "department", "trajectory"),
        request.user,
        pk=pk,
    )
    if not access.may_take_intake(request.user, interest.department_id):
        raise PermissionDenied
    if interest.is_dealt_with:  # started already (by a colleague) or withdrawn
        return _after_start(request, getattr(interest, "trajectory", None))
    department = [interest.department_id]
    trainers = Person.objects.in_role(Role.TRAINER, departments=department)
    coaches = Person.objects.in_role(Role.COACH, departments=department)
    me = access.scope_of(request.user).person_id
    initial = {
        "trainer": me if trainers.filter(pk=me).exists() else interest.supervisor_id,
        "coach": me if coaches.filter(pk=me).exists() else coaches.first(),
    }
    form = forms.StartForm(
        request.POST or None, trainers=trainers, coaches=coaches, initial=initial
    )
    if form.is_valid():
        trajectory = run_step(
            form, services.start_trajectory, interest, **form.step_data(), by=request.user
        )
        if trajectory:
            messages.success(request, _("The trajectory has started. Now choose the skills."))
            return _after_start(request, trajectory)
    status = INVALID if form.errors else 200
    context = {"form": form, "interest": interest}
    return render(request, "trajects/trajectory_start.html", context, status=status)


def _after_start(request, trajectory):
    """On to the skill choice card, for who guides the participant; others go home."""
    if trajectory is None:
        messages.info(request, _("This registration has already been dealt with."))
    elif access.may_guide(request.user, trajectory):
        if trajectory.skills.exists():
            return redirect("trajects:trajectory", pk=trajectory.pk)
        return redirect("trajects:choose_skills", pk=trajectory.pk)
    return redirect("home")


def _guided_trajectory(request, pk):
    queryset = Trajectory.objects.select_related("participant")
    return access.get_guided_or_404(queryset, request.user, pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def choose_skills(request, pk):
    trajectory = _guided_trajectory(request, pk)
    chosen = {row.skill_id: row for row in trajectory.skills.all()}
    form = forms.SkillChoiceForm(
        request.POST or None, skills=list(Skill.objects.all()), chosen=chosen
    )
    if form.is_valid() and run_step(
        form, services.choose_skills, trajectory, form.targets(), by=request.user
    ):
        messages.success(request, _("The skills are saved."))
        return redirect("trajects:trajectory", pk=trajectory.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "trajectory": trajectory}
    return render(request, "trajects/choose_skills.html", context, status=status)


# The participant page: timeline, floor notes, guidance conversations


TIMELINE_SHOWN = 20  # the latest events; the reader asks for older ones


def _whole_timeline(request) -> bool:
    """The latest events, unless the reader asked for all of them (or for one skill's)."""
    return request.GET.get("timeline") == "all" or _skill_filter(request) is not None


def _skill_filter(request):
    try:
        return int(request.GET["skill"])
    except (KeyError, ValueError):
        return None


def _detail_context(request, trajectory, **bound):
    """The participant page; `bound` holds forms that came back with messages."""
    progress_rows = _progress_of(trajectory).select_related("assignment")
    planned = trajectory.planned_conversations
    end_of_today = timezone.localtime().replace(hour=23, minute=59)
    due = next((c for c in planned if c.planned_at <= end_of_today), None)
    current = trajectory.current_progress
    progress = next((row for row in current if due and row.pk == due.progress_id), None)
    if progress is None and len(current) == 1:
        progress = current[0]
    skill_id = _skill_filter(request)
    current_ids = {row.pk for row in current}
    events = timeline.for_skill(timeline.events(trajectory), skill_id)
    shown = events if _whole_timeline(request) else events[:TIMELINE_SHOWN]
    context = {
        # what the participant wrote about the assignments in progress, above the form
        "words_now": [
            words
            for words in trajectory.words.all()
            if words.progress_id in current_ids or words.kind == WordsKind.QUESTION
        ],
        "trajectory": trajectory,
        "may_guide": access.may_guide(request.user, trajectory),
        "may_export": access.may_handle_personal_data(request.user, trajectory.participant),
        "events": shown,
        "older_events": len(events) > len(shown),
        "skill_filter": skill_id,
        "planned": planned,
        "due": due,
        "note_form": forms.NoteForm(
            progress=progress_rows, initial={"progress": progress and progress.pk}
        ),
        "plan_form": forms.PlanForm(),
        "conversation_form": forms.ConversationForm(
            open_progress=current,
            coaches=Person.objects.in_role(Role.COACH, departments=[trajectory.department_id]),
            planned=GuidanceConversation.objects.none(),
            initial={
                "progress": progress,
                "planned": due,
                "planned_for": due and due.planned_at.isoformat(),
            },
        ),
    }
    context.update(bound)
    return context


def _detail(request, pk):
    latest = None if _whole_timeline(request) else TIMELINE_SHOWN
    trajectory = access.get_visible_or_404(Trajectory.objects.with_detail(), request.user, pk=pk)
    return trajectory.read_records(latest)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def trajectory_detail(request, pk):
    trajectory = _detail(request, pk)
    context = _detail_context(request, trajectory)
    if wants_part(request):
        return render(request, f"{DETAIL}#timeline", context)
    return render(request, DETAIL, context)


@never_cache
@require_GET
@login_required
def trajectory_history(request, pk):
    """Every version of what was recorded, with who changed it: nothing typed is lost."""
    trajectory = access.get_visible_or_404(
        Trajectory.objects.select_related("participant"), request.user, pk=pk
    )
    context = {"trajectory": trajectory, "changes": history.changes(trajectory)}
    return render(request, "trajects/history.html", context)


def _saved(request, trajectory, section, message, *, new, gone=(), note=None):
    """After a save on the participant page: with htmx the changed section, the status, and
    the events the save added (`new`, by key) each put in its place among the latest ones,
    and those it took back (`gone`) taken off; the timeline is not drawn again. Else the page.
    A `note` is what the trainer must read even when the save was sent later from the outbox."""
    if not wants_part(request):
        messages.success(request, message)
        if note:
            messages.warning(request, note)
        return redirect("trajects:trajectory", pk=trajectory.pk)

    def draw():
        context = _detail_context(
            request, _detail(request, trajectory.pk), saved=message, saved_note=note
        )
        html = render_to_string(f"{DETAIL}#{section}", context, request)
        shown, gone_events = context["events"], set(gone)
        if new and all(event.key in new for event in shown):
            gone_events.add("none")  # the first events: "nothing recorded yet" goes
        context |= {
            "oob": True,
            "new_events": timeline.placed(shown, new),
            "gone_events": gone_events,
        }
        for other in ("status", "new-events"):
            html += render_to_string(f"{DETAIL}#{other}", context, request)
        return html

    return AnswerAfterCommit(draw)


def _refused(request, trajectory, section, **bound):
    """A save that came back with messages: the form as typed, in place."""
    context = _detail_context(request, _detail(request, trajectory.pk), **bound)
    template = f"{DETAIL}#{section}" if wants_part(request) else DETAIL
    return render(request, template, context, status=INVALID)


@posted_from("trajects:trajectory", "note-form")
@login_required
@idempotent
def add_note(request, pk):
    trajectory = _guided_trajectory(request, pk)
    form = forms.NoteForm(request.POST, progress=_progress_of(trajectory))
    note = form.is_valid() and run_step(
        form, services.add_note, trajectory, **form.cleaned_data, by=request.user
    )
    if note:
        new = {timeline.note_key(note)}
        return _saved(request, trajectory, "note-form", _("Note saved."), new=new)
    return _refused(request, trajectory, "note-form", note_form=form)


def _progress_of(trajectory):
    return AssignmentProgress.objects.filter(trajectory_skill__trajectory=trajectory)


@posted_from("trajects:trajectory", "conversations")
@login_required
@idempotent
def plan_conversation(request, pk):
    trajectory = _guided_trajectory(request, pk)
    form = forms.PlanForm(request.POST)
    if form.is_valid() and run_step(
        form, services.plan_conversation, trajectory, **form.cleaned_data, by=request.user
    ):
        # a planned conversation is not on the timeline
        return _saved(request, trajectory, "conversations", _("Conversation planned."), new=set())
    return _refused(request, trajectory, "conversations", plan_form=form)


@posted_from("trajects:trajectory", "conversations")
@login_required
@idempotent
def hold_conversation(request, pk):
    trajectory = _guided_trajectory(request, pk)
    form = forms.ConversationForm(
        request.POST,
        open_progress=list(_progress_of(trajectory).open()),
        coaches=Person.objects.in_role(Role.COACH, departments=[trajectory.department_id]),
        planned=trajectory.conversations.planned(),
    )
    conversation = form.is_valid() and run_step(
        form, services.hold_conversation, trajectory, **form.cleaned_data, by=request.user
    )
    if conversation:
        # its outcome can add a step to the assignment, or take one back (not yet)
        before = timeline.step_keys(form.cleaned_data.get("progress"))
        after = timeline.step_keys(conversation.progress)
        new = {timeline.conversation_key(conversation), *(after - before)}
        return _saved(
            request,
            trajectory,
            "conversations",
            _("Conversation saved."),
            new=new,
            gone=before - after,
            note=_plan_changed(form.cleaned_data, conversation),
        )
    return _refused(request, trajectory, "conversations", conversation_form=form)


def _plan_changed(data, conversation):
    """When the conversation planned as the form was opened was moved or called off before the
    save arrived (by the coach, or on another phone), what became of it."""
    seen, plan = data.get("planned_for"), data.get("planned")
    if not seen or (plan and plan.pk == conversation.pk):
        return None
    if plan:
        return _(
            "The conversation planned for %(seen)s was moved to %(now)s meanwhile. This one is "
            "saved on its own, and that one stays planned: call it off if it was the same."
        ) % {"seen": _moment(seen), "now": _moment(plan.planned_at)}
    return _(
        "The conversation planned for %(seen)s was called off meanwhile. This one is saved on "
        "its own."
    ) % {"seen": _moment(seen)}


def _moment(moment):
    return date_format(timezone.localtime(moment), "l j F, H:i")


def _guided_conversation(request, pk):
    return access.get_guided_or_404(
        GuidanceConversation.objects.select_related(
            "trajectory__participant", "progress__assignment"
        ),
        request.user,
        trajectory_of=lambda conversation: conversation.trajectory,
        pk=pk,
        held_at__isnull=False,
    )


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def edit_conversation(request, pk):
    conversation = _guided_conversation(request, pk)
    refusal = why_not(services.check_edit_conversation, conversation)
    if refusal:
        messages.error(request, refusal)
        return redirect("trajects:trajectory", pk=conversation.trajectory_id)
    initial = model_to_dict(conversation, fields=forms.ConversationTextForm.base_fields)
    form = forms.ConversationEditForm(
        request.POST or None, initial={**initial, "version": conversation.version}
    )
    if form.is_valid() and run_step(
        form, services.edit_conversation, conversation, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("Conversation corrected; the earlier version is kept."))
        return redirect("trajects:trajectory", pk=conversation.trajectory_id)
    status = INVALID if form.errors else 200
    context = {"form": form, "conversation": conversation}
    return render(request, "trajects/conversation_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def planned_conversation(request, pk):
    """Move a planned conversation, or call it off."""
    conversation = access.get_guided_or_404(
        GuidanceConversation.objects.select_related("trajectory__participant"),
        request.user,
        trajectory_of=lambda conversation: conversation.trajectory,
        pk=pk,
        held_at__isnull=True,
    )
    trajectory = conversation.trajectory
    initial = {"planned_at": conversation.planned_at, "version": conversation.version}
    form = forms.MoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and "cancel" in request.POST:
        form.is_valid()  # for the version only: the date does not matter when calling off
        if run_step(
            form,
            services.cancel_conversation,
            conversation,
            version=form.cleaned_data.get("version"),
            by=request.user,
        ):
            messages.success(request, _("The conversation is called off."))
            return redirect("trajects:trajectory", pk=trajectory.pk)
    elif form.is_valid() and run_step(
        form, services.reschedule_conversation, conversation, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The conversation is moved."))
        return redirect("trajects:trajectory", pk=trajectory.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "conversation": conversation, "trajectory": trajectory}
    return render(request, "trajects/conversation_planned.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def confirm_conversation(request, pk):
    """The participant's own page on the trainer's phone: what was discussed and their
    initials; confirmed, it stays theirs until the trainer takes the phone back."""
    conversation = _guided_conversation(request, pk)
    form = forms.ConfirmForm(request.POST or None, initial={"version": conversation.version})
    if form.is_valid() and run_step(
        form, services.confirm_conversation, conversation, **form.cleaned_data
    ):
        messages.success(request, _("Thank you: the conversation is confirmed."))
        return redirect("trajects:confirm_conversation", pk=conversation.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "conversation": conversation}
    return render(request, "trajects/conversation_confirm.html", context, status=status)


# Assignments


def _guided_skill(request, pk):
    return access.get_guided_or_404(
        TrajectorySkill.objects.select_related("trajectory__participant", "skill"),
        request.user,
        trajectory_of=lambda chosen: chosen.trajectory,
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def introduce_assignment(request, pk):
    chosen = _guided_skill(request, pk)
    done = chosen.progress.values("assignment")
    assignments = chosen.skill.assignments.exclude(pk__in=done).order_by("number")
    suggestion = next(
        (a for a in assignments if a.level <= chosen.target_level), assignments.first()
    )
    form = forms.IntroduceForm(
        request.POST or None, assignments=assignments, initial={"assignment": suggestion}
    )
    if form.is_valid():
        progress = run_step(
            form,
            services.introduce_assignment,
            chosen,
            form.cleaned_data["assignment"],
            on=form.cleaned_data["introduced_on"],
            by=request.user,
        )
        if progress:
            messages.success(request, _("Assignment introduced. Go through it together."))
            return redirect("trajects:progress", pk=progress.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "chosen": chosen, "trajectory": chosen.trajectory}
    return render(request, "trajects/introduce.html", context, status=status)


def _progress(request, pk, guided):
    queryset = AssignmentProgress.objects.select_related(
        "assignment__skill", "trajectory_skill__trajectory__participant"
    )
    if not guided:
        return access.get_visible_or_404(queryset, request.user, pk=pk)
    return access.get_guided_or_404(
        queryset,
        request.user,
        trajectory_of=lambda progress: progress.trajectory_skill.trajectory,
        pk=pk,
    )


def _progress_page(request, progress, status=200, **bound):
    trajectory = progress.trajectory_skill.trajectory
    context = {
        "progress": progress,
        "assignment": progress.assignment,
        "trajectory": trajectory,
        "may_guide": access.may_guide(request.user, trajectory),
        "get_started_form": forms.GetStartedForm(),
        "look_back_form": forms.LookBackForm(),
        **bound,
    }
    return render(request, "trajects/progress.html", context, status=status)


@require_GET
@login_required
def progress_detail(request, pk):
    """The assignment in progress; `?format=pdf` is the handout to give the participant."""
    progress = _progress(request, pk, guided=False)
    if request.GET.get("format") == "pdf":
        return pdf_response(
            request,
            lambda: handout.handout_pdf(progress),
            f"opdracht-{progress.pk}.pdf",
            fallback=reverse("trajects:progress", args=[progress.pk]),
            about=progress.trajectory_skill.trajectory,
        )
    return _progress_page(request, progress)


def _progress_step(request, pk, form_class, step, done, form_name):
    """A step of the assignment cycle posted from the participant or assignment page."""
    progress = _progress(request, pk, guided=True)
    form = form_class(request.POST)
    if form.is_valid() and run_step(form, step, progress, **form.cleaned_data, by=request.user):
        messages.success(request, done)
        return redirect("trajects:trajectory", pk=progress.trajectory_skill.trajectory_id)
    return _progress_page(request, progress, INVALID, **{form_name: form})


@posted_from("trajects:progress")
@login_required
@idempotent
def get_started(request, pk):
    return _progress_step(
        request,
        pk,
        forms.GetStartedForm,
        services.record_get_started,
        _("Get-started task recorded."),
        "get_started_form",
    )


@posted_from("trajects:progress")
@login_required
@idempotent
def look_back(request, pk):
    return _progress_step(
        request,
        pk,
        forms.LookBackForm,
        services.record_look_back,
        _("Look-back task recorded."),
        "look_back_form",
    )


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def assess_skill(request, pk):
    chosen = _guided_skill(request, pk)
    trajectory = chosen.trajectory
    guides = Person.objects.in_role(
        Role.TRAINER, Role.COACH, departments=[trajectory.department_id]
    )
    highest = services.highest_passed_level(chosen)
    form = forms.AssessForm(
        request.POST or None,
        highest=highest,
        guides=guides,
        initial={"assessed_by": trajectory.trainer_id, "version": chosen.version},
    )
    if form.is_valid() and run_step(
        form, services.assess_skill, chosen, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The skill is assessed."))
        return redirect("trajects:trajectory", pk=trajectory.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "chosen": chosen, "trajectory": trajectory, "highest": highest}
    return render(request, "trajects/assess.html", context, status=status)


# Phase changes, pause, stop


@dataclass(frozen=True)
class Step:
    """A phase change or a way out, as its page offers it: the form, the step and its check
    (`services.check_...`), what the page says, and what it says once taken. `look` warns
    before a step that is hard to take back: "caution", or "danger" for one that ends the
    trajectory; `final` when no step leads back."""

    form: type
    take: Callable
    check: Callable
    title: str
    explanation: str
    done: str
    look: str = ""
    final: bool = False


STEPS = {
    "assessment": Step(
        forms.StepForm,
        services.start_assessment,
        services.check_start_assessment,
        gettext_lazy("To evaluation and assessment"),
        gettext_lazy(
            "The learning/work period ends. Assignments still being practised stop, and no new "
            "assignment can be introduced; the skills are then assessed at the highest level "
            "passed."
        ),
        gettext_lazy("The trajectory is in evaluation and assessment now."),
        look="caution",
        final=True,
    ),
    "closing": Step(
        forms.StepForm,
        services.start_closing,
        services.check_start_closing,
        gettext_lazy("To the closing"),
        gettext_lazy(
            "The skills are assessed: on to the closing and the certificate. The levels reached "
            "can no longer be changed."
        ),
        gettext_lazy("The trajectory is in its closing now."),
        look="caution",
        final=True,
    ),
    "close": Step(
        forms.StepForm,
        services.close_trajectory,
        services.check_close_trajectory,
        gettext_lazy("Close the trajectory"),
        gettext_lazy(
            "The trajectory is finished. It stays readable, and nothing can be added. "
            "Conversations still planned are called off."
        ),
        gettext_lazy("The trajectory is closed."),
        look="danger",
        final=True,
    ),
    "pause": Step(
        forms.PauseForm,
        services.pause_trajectory,
        services.check_pause_trajectory,
        gettext_lazy("Pause the trajectory"),
        gettext_lazy(
            "For sickness, leave or a reorganisation. While paused the clocks stop: assignment "
            "weeks, the look-back date and the agreed end move on by the days paused."
        ),
        gettext_lazy("The trajectory is paused."),
        look="caution",
    ),
    "resume": Step(
        forms.StepForm,
        services.resume_trajectory,
        services.check_resume_trajectory,
        gettext_lazy("Resume the trajectory"),
        gettext_lazy("The clocks run again from this date."),
        gettext_lazy("The trajectory runs again."),
    ),
    "stop": Step(
        forms.StopForm,
        services.stop_trajectory,
        services.check_stop_trajectory,
        gettext_lazy("Stop the trajectory early"),
        gettext_lazy(
            "The trajectory stops before its closing. Planned conversations are called off and "
            "assignments in progress stop with it; everything recorded stays, and nothing can "
            "be added."
        ),
        gettext_lazy("The trajectory is stopped."),
        look="danger",
        final=True,
    ),
}


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def trajectory_step(request, pk, step):
    """A step's page. When the step cannot be taken now, the page says why, in the words of
    the step's own check, instead of offering it."""
    if step not in STEPS:
        raise Http404
    action = STEPS[step]
    trajectory = _guided_trajectory(request, pk)
    form = action.form.of(trajectory, request.POST or None)
    if form.is_valid() and run_step(
        form, action.take, trajectory, **form.cleaned_data, by=request.user
    ):
        messages.success(request, action.done)
        return redirect("trajects:trajectory", pk=trajectory.pk)
    status = INVALID if form.errors else 200
    context = {
        "form": form,
        "trajectory": trajectory,
        "title": action.title,
        "explanation": action.explanation,
        "refusal": why_not(action.check, trajectory),
        "look": action.look,
        "final": action.final,
        "stopping": _progress_of(trajectory).open().select_related("assignment")
        if step in ("assessment", "stop")
        else [],
        "lapsing": trajectory.conversations.planned().order_by("planned_at")
        if step in ("close", "stop")
        else [],
    }
    return render(request, "trajects/step.html", context, status=status)
