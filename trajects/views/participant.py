"""The participant's own pages ("Mijn WPO"), opened with their personal link, and the trainer's
side of that link: making it, showing it as a QR code, printing the participant card.

The participant is no Django user: the link opens a short session of its own
(`wpo.access.participant_trajectory`), and every page here shows that one trajectory and what
belongs to it, nothing else. The token never stays in the address: opening it redirects to
/mijn/, so a shared tablet's history does not keep the way in."""

import datetime
from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments.models import Level
from trajects import forms
from trajects.models import (
    AssignmentProgress,
    GuidanceConversation,
    ParticipantWords,
    ProgressStatus,
    Trajectory,
    TrajectorySkill,
    WordsKind,
)
from trajects.services import participant as services
from wpo import access, audit
from wpo.guessing import WINDOW
from wpo.http import INVALID, pdf_response, posted_from, run_step
from wpo.idempotency import idempotent
from wpo.models import AuditAction
from wpo.pdf import render_pdf

TOO_MANY_REQUESTS = 429


def _private(response):
    """Nothing of the participant stays in a shared cache or the browser's cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _link_ended(request, status=404):
    """One page for every link that does not work, however it failed: nothing tells whether
    a trajectory exists."""
    return _private(render(request, "trajects/participant/link_ended.html", status=status))


def participant_page(view):
    """A page of the participant whose link opened this session; without one, the friendly
    page that asks for a new link."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        queryset = Trajectory.objects.select_related("participant", "trainer", "coach")
        trajectory = access.participant_trajectory(request, queryset, timezone.now())
        if trajectory is None:
            return _link_ended(request)
        return _private(view(request, trajectory, *args, **kwargs))

    wrapped.participant_page = True  # for the tests that replay every URL
    return wrapped


@require_GET
def open_link(request, token):
    if services.guessing.too_many(request):
        response = _link_ended(request, status=TOO_MANY_REQUESTS)
        response["Retry-After"] = str(int(WINDOW.total_seconds()))
        return response
    link = services.open_link(request, token)
    if link is None:
        return _link_ended(request)
    access.open_participant_session(request, link.pk, timezone.now())
    return _private(redirect("trajects:mine"))


# What the participant sees


def _words(trajectory) -> dict:
    """What the participant wrote, by place: (kind, progress id, question number)."""
    return {(w.kind, w.progress_id, w.question): w for w in trajectory.words.all()}


def _path(chosen: TrajectorySkill) -> list[dict]:
    """The steps A → B → C of a chosen skill, with what was passed at each."""
    steps = []
    for level in Level:
        rows = [p for p in chosen.progress.all() if p.assignment.level == level]
        steps.append(
            {
                "level": level,
                "passed": [p for p in rows if p.status == ProgressStatus.PASSED],
                "current": next((p for p in rows if p.is_open), None),
                "target": chosen.target_level == level,
            }
        )
    return steps


def when_in_words(moment: datetime.datetime) -> str:
    """ "donderdag 3 december om 14:00"."""
    moment = timezone.localtime(moment)
    return _("%(day)s at %(time)s") % {
        "day": formats.date_format(moment, "l j F"),
        "time": formats.time_format(moment, "H:i"),
    }


def _mine(trajectory):
    progress = AssignmentProgress.objects.select_related("assignment").order_by(
        "introduced_on", "pk"
    )
    return (
        Trajectory.objects.filter(pk=trajectory.pk)
        .select_related("participant", "trainer", "coach", "interest")
        .prefetch_related(
            Prefetch("skills", queryset=TrajectorySkill.objects.select_related("skill")),
            Prefetch("skills__progress", queryset=progress),
            Prefetch("words", queryset=ParticipantWords.objects.all()),
            "certificates",
        )
        .get()
    )


def _mine_context(trajectory, **bound) -> dict:
    """The participant's home page; `bound` holds a form that came back with a message."""
    trajectory = _mine(trajectory)
    conversations = GuidanceConversation.objects.filter(trajectory=trajectory)
    upcoming = (
        conversations.planned()
        .filter(planned_at__gte=timezone.now())
        .order_by("planned_at")
        .first()
    )
    held = list(conversations.held().order_by("-held_at")[:5])
    words = _words(trajectory)
    context = {
        "trajectory": trajectory,
        "skills": [{"chosen": c, "path": _path(c)} for c in trajectory.skills.all()],
        "current": trajectory.current_progress,
        "upcoming": upcoming,
        "upcoming_words": when_in_words(upcoming.planned_at) if upcoming else "",
        "agreements": next((c for c in held if c.agreements), None),
        "to_confirm": [c for c in held if c.participant_confirmed_at is None],
        "certificates": [c for c in trajectory.certificates.all() if c.revoked_at is None],
        "wish_form": _trajectory_form(words, WordsKind.WISH),
        "question_form": _trajectory_form(words, WordsKind.QUESTION),
    }
    context.update(bound)
    return context


@require_GET
@participant_page
def mine(request, trajectory):
    return render(request, "trajects/participant/mine.html", _mine_context(trajectory))


LABELS = {
    WordsKind.WISH: _("What do you want to get better at?"),
    WordsKind.QUESTION: _("Do you have a question for your trainer?"),
}


def _trajectory_form(words, kind):
    return forms.WordsForm(label=LABELS[kind], words=words.get((kind, None, 0)), prefix=kind)


def _progress(trajectory, pk) -> AssignmentProgress:
    """One of this participant's assignments; another's answers 404, like any unknown one."""
    return get_object_or_404(
        AssignmentProgress.objects.select_related("assignment__skill", "trajectory_skill"),
        trajectory_skill__trajectory=trajectory,
        pk=pk,
    )


def _assignment_context(trajectory, progress, bound=None):
    """The assignment's five parts, with a form at each place to write; `bound` is the form
    that came back with a message, by its place."""
    words = {(w.kind, w.question): w for w in ParticipantWords.objects.filter(progress=progress)}
    questions = []
    for number, text in enumerate(progress.assignment.question_list, start=1):
        place = (WordsKind.ANSWER, number)
        form = forms.WordsForm(words=words.get(place), prefix=f"q{number}")
        questions.append({"number": number, "text": text, "form": form})
    look_back = forms.HowItWentForm(words=words.get((WordsKind.LOOK_BACK, 0)), prefix="lb")
    if bound is not None:
        place, form = bound
        if place == WordsKind.LOOK_BACK:
            look_back = form
        else:
            questions[place - 1]["form"] = form
    agreed = (
        GuidanceConversation.objects.held()
        .filter(trajectory=trajectory, progress=progress)
        .exclude(agreements="")
        .order_by("-held_at")
        .first()
    )
    return {
        "trajectory": trajectory,
        "progress": progress,
        "assignment": progress.assignment,
        "questions": questions,
        "look_back_form": look_back,
        "agreed": agreed,
    }


@require_GET
@participant_page
def assignment(request, trajectory, pk):
    progress = _progress(trajectory, pk)
    context = _assignment_context(trajectory, progress)
    return render(request, "trajects/participant/assignment.html", context)


def _write(request, trajectory, kind, *, prefix, progress=None, question=0, form_class=None):
    form = (form_class or forms.WordsForm)(request.POST, prefix=prefix)
    if form.is_valid() and run_step(
        form,
        services.write_words,
        trajectory,
        kind,
        form.cleaned_data["text"],
        progress=progress,
        question=question,
        feeling=form.cleaned_data.get("feeling", ""),
        version=form.cleaned_data["version"],
    ):
        messages.success(request, _("Saved. Your trainer can read it now."))
        return None
    return form


@require_POST
@participant_page
@idempotent
def answer(request, trajectory, pk, number):
    progress = _progress(trajectory, pk)
    form = _write(
        request,
        trajectory,
        WordsKind.ANSWER,
        prefix=f"q{number}",
        progress=progress,
        question=number,
    )
    if form is None:
        return redirect(reverse("trajects:mine_assignment", args=[pk]) + f"#question-{number}")
    context = _assignment_context(trajectory, progress, bound=(number, form))
    return render(request, "trajects/participant/assignment.html", context, status=INVALID)


@require_POST
@participant_page
@idempotent
def look_back(request, trajectory, pk):
    progress = _progress(trajectory, pk)
    form = _write(
        request,
        trajectory,
        WordsKind.LOOK_BACK,
        prefix="lb",
        progress=progress,
        form_class=forms.HowItWentForm,
    )
    if form is None:
        return redirect(reverse("trajects:mine_assignment", args=[pk]) + "#look-back")
    context = _assignment_context(trajectory, progress, bound=(WordsKind.LOOK_BACK, form))
    return render(request, "trajects/participant/assignment.html", context, status=INVALID)


@require_POST
@participant_page
@idempotent
def write_own(request, trajectory, kind):
    """What they want to learn, or a question for the trainer."""
    if kind not in (WordsKind.WISH, WordsKind.QUESTION):
        return _link_ended(request)
    form = _write(request, trajectory, kind, prefix=kind)
    if form is None:
        return redirect(reverse("trajects:mine") + f"#{kind}")
    form.fields["text"].label = LABELS[kind]
    context = _mine_context(trajectory, **{f"{kind}_form": form})
    return render(request, "trajects/participant/mine.html", context, status=INVALID)


@require_POST
@participant_page
@idempotent
def confirm(request, trajectory, pk):
    conversation = get_object_or_404(GuidanceConversation, trajectory=trajectory, pk=pk)
    try:
        services.confirm_on_own_page(trajectory, conversation)
    except services.StepRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Thank you. Your trainer can see that you agree."))
    return redirect(reverse("trajects:mine") + "#conversations")


@require_http_methods(["GET", "POST"])
def done(request):
    """ "Klaar": the device forgets the participant. The page after it holds nothing of them."""
    if request.method == "POST":
        access.close_participant_session(request)
        return redirect("trajects:mine_done")
    return _private(render(request, "trajects/participant/done.html"))


# The trainer's side


def _guided(request, pk):
    return access.get_guided_or_404(
        Trajectory.objects.select_related("participant"), request.user, pk=pk
    )


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(dark="#1d2733", border=2, scale=6)


@posted_from("trajects:trajectory", "participant-link")
@login_required
def make_link(request, pk):
    """A new personal link (the old one ends), shown once: as a QR code to scan from this
    phone, as an address, and as a card to print. Not kept: a reload goes back to the page."""
    trajectory = _guided(request, pk)
    try:
        token = services.make_link(trajectory, by=request.user)
    except services.StepRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("trajects:trajectory", pk=pk)
    audit.record(AuditAction.PARTICIPANT_LINK_MADE, user=request.user, obj=trajectory)
    url = request.build_absolute_uri(reverse("trajects:participant_open", args=[token]))
    context = {
        "trajectory": trajectory,
        "url": url,
        "qr": qr_svg(url),
        "card_form": forms.CardForm(initial={"token": token}),
    }
    return _private(render(request, "trajects/participant/link_made.html", context))


@require_POST
@login_required
def card(request, pk):
    """The participant card as a PDF: their name, the QR code of their link, three pictures."""
    trajectory = _guided(request, pk)
    form = forms.CardForm(request.POST)
    if not form.is_valid() or not services.is_current_token(trajectory, form.cleaned_data["token"]):
        messages.error(request, _("This link was replaced by a newer one. Make a new link."))
        return redirect("trajects:trajectory", pk=pk)
    url = request.build_absolute_uri(
        reverse("trajects:participant_open", args=[form.cleaned_data["token"]])
    )
    context = {"trajectory": trajectory, "qr": qr_svg(url)}
    response = pdf_response(
        request,
        lambda: render_pdf("trajects/participant/card_pdf.html", context),
        "wpo-kaart.pdf",
        fallback=reverse("trajects:trajectory", args=[pk]),
        about=trajectory,
    )
    return _private(response)
