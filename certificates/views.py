from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certificates import documents, forms, services, tasks
from certificates.models import Certificate, CertificateBatch
from trajects.models import Meeting, MeetingKind, Trajectory
from wpo import access
from wpo.guessing import WINDOW
from wpo.http import INVALID, pdf_response, run_step, wants_part
from wpo.idempotency import idempotent
from wpo.models import Department, Role
from wpo.services import StepRefused

TOO_MANY_REQUESTS = 429


@require_GET
def verify(request, code):
    """Public: anyone holding a certificate can have it checked. Shows only what is printed on
    it, and the same friendly page for a code that does not exist. Unknown codes from one
    address are counted, so guessing codes soon stops."""
    if services.guessing.too_many(request):
        response = render(request, "certificates/too_many.html", status=TOO_MANY_REQUESTS)
        response["Retry-After"] = str(int(WINDOW.total_seconds()))
        return response
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    if certificate is None:
        services.guessing.record_miss(request)
    return render(request, "certificates/verify.html", {"certificate": certificate, "code": code})


def _trajectory(request, pk):
    queryset = Trajectory.objects.select_related("participant", "department")
    return access.get_visible_or_404(queryset, request.user, pk=pk)


@require_GET
@login_required
def trajectory_certificates(request, pk):
    """The trajectory's certificate, and the ones revoked before it."""
    trajectory = _trajectory(request, pk)
    certificates = list(trajectory.certificates.order_by("-pk"))
    context = {
        "trajectory": trajectory,
        "certificates": certificates,
        "has_valid": any(certificate.is_valid for certificate in certificates),
        "may_issue": access.may_certify(request.user, trajectory),
    }
    return render(request, "certificates/trajectory.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def issue(request, pk):
    trajectory = _trajectory(request, pk)
    if not access.may_certify(request.user, trajectory):
        raise PermissionDenied
    form = forms.IssueForm(request.POST or None)
    if form.is_valid() and run_step(
        form, services.issue_certificate, trajectory, **form.cleaned_data, by=request.user
    ):
        messages.success(request, _("The certificate is issued. Download it to print it."))
        return redirect("certificates:trajectory", pk=trajectory.pk)
    context = {"form": form, "trajectory": trajectory, "skills": services.skill_lines(trajectory)}
    status = INVALID if form.errors else 200
    return render(request, "certificates/issue.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def revoke(request, pk):
    queryset = Certificate.objects.select_related("trajectory__participant")
    certificate = access.get_visible_or_404(queryset, request.user, pk=pk)
    if not access.may_certify(request.user, certificate.trajectory):
        raise PermissionDenied
    form = forms.RevokeForm(request.POST or None)
    if form.is_valid():
        reissue = form.cleaned_data["reissue"]
        step = services.reissue_certificate if reissue else services.revoke_certificate
        if run_step(form, step, certificate, reason=form.cleaned_data["reason"], by=request.user):
            messages.success(
                request,
                _("The certificate is revoked and a new one issued.")
                if reissue
                else _("The certificate is revoked."),
            )
            return redirect("certificates:trajectory", pk=certificate.trajectory_id)
    status = INVALID if form.errors else 200
    context = {"form": form, "certificate": certificate}
    return render(request, "certificates/revoke.html", context, status=status)


@never_cache
@require_GET
@login_required
def download(request, pk):
    certificate = access.get_visible_or_404(Certificate.objects.all(), request.user, pk=pk)
    return pdf_response(
        request,
        lambda: documents.certificates_pdf([certificate], site_url=documents.site_url(request)),
        f"certificaat-{certificate.code}.pdf",
        fallback=reverse("certificates:trajectory", args=[certificate.trajectory_id]),
        about=certificate,
    )


@never_cache
@require_GET
@login_required
def progress_sheet(request, pk):
    """A sheet to hand to the participant: their skills, what they passed, what is next."""
    trajectory = access.get_visible_or_404(Trajectory.objects.with_detail(), request.user, pk=pk)
    return pdf_response(
        request,
        lambda: documents.progress_sheet_pdf(trajectory),
        f"voortgangsoverzicht-{trajectory.pk}.pdf",
        fallback=reverse("trajects:trajectory", args=[trajectory.pk]),
        about=trajectory,
    )


# Printing for a closing: choose, the worker renders, download


def _selected(certificates, selection):
    if selection.is_valid():
        if department := selection.cleaned_data["department"]:
            certificates = certificates.of_department(department)
        if meeting := selection.cleaned_data["meeting"]:
            certificates = certificates.invited_to(meeting)
    return certificates.select_related("trajectory__department").order_by("participant_name")


@require_http_methods(["GET", "POST"])
@access.role_required(Role.COACH, Role.PROJECT_MANAGER)
@idempotent
def batch_new(request):
    printable = Certificate.objects.visible_to(request.user).valid()
    selection = forms.SelectionForm(
        request.GET,
        departments=Department.objects.visible_to(request.user),
        meetings=Meeting.objects.visible_to(request.user).filter(kind=MeetingKind.CLOSING),
    )
    form = forms.BatchForm(
        request.POST or None, certificates=printable, initial={"title": selection.title()}
    )
    if form.is_valid():
        batch = run_step(
            form,
            services.request_batch,
            form.cleaned_data["certificates"],
            title=form.cleaned_data["title"],
            site_url=documents.site_url(request),
            by=request.user,
        )
        if batch:
            return redirect("certificates:batch", pk=batch.pk)
    context = {
        "selection": selection,
        "form": form,
        "certificates": _selected(printable, selection),
    }
    status = INVALID if form.errors else 200
    template = "certificates/batch_new.html"
    if wants_part(request):
        template += "#selected"
    return render(request, template, context, status=status)


@never_cache
@require_GET
@login_required
def batch(request, pk):
    """Waits for the worker: the status part asks again every two seconds until ready."""
    queryset = CertificateBatch.objects.defer("pdf")
    batch = access.get_visible_or_404(queryset, request.user, pk=pk)
    context = {
        "batch": batch,
        "failed": tasks.has_failed(batch),
        "count": batch.certificates.count(),
    }
    template = "certificates/batch.html"
    if wants_part(request):
        template += "#status"
    return render(request, template, context)


@require_POST
@login_required
@idempotent
def batch_retry(request, pk):
    """ "Opnieuw proberen" on a batch that failed: the same certificates, to the worker again."""
    batch = access.get_visible_or_404(CertificateBatch.objects.defer("pdf"), request.user, pk=pk)
    try:
        services.retry_batch(batch, by=request.user)
    except StepRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
    return redirect("certificates:batch", pk=batch.pk)


@never_cache
@require_GET
@login_required
def batch_pdf(request, pk):
    batch = access.get_visible_or_404(CertificateBatch.objects.ready(), request.user, pk=pk)
    return pdf_response(
        request,
        lambda: bytes(batch.pdf),  # made by the worker already
        f"certificaten-{batch.pk}.pdf",
        fallback=reverse("certificates:batch", args=[batch.pk]),
        about=batch,
    )
