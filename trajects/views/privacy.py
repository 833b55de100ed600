"""A participant's data rights: everything recorded about them, to read, print or hand over;
and erasing them on their request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from trajects import privacy
from wpo import access, audit
from wpo.http import pdf_response
from wpo.idempotency import idempotent
from wpo.models import AuditAction, Person
from wpo.pdf import render_pdf
from wpo.services import StepRefused, why_not


def _person_for_data_rights(request, pk):
    """A participant whose data rights the user answers: 404 out of sight, 403 in sight only."""
    person = access.get_visible_or_404(
        Person.objects.select_related("department"), request.user, pk=pk
    )
    if not access.may_handle_personal_data(request.user, person):
        raise PermissionDenied
    return person


@never_cache
@require_GET
@login_required
def personal_data(request, pk):
    """Everything recorded about one participant (AVG inzage), as a page to read or print, or
    as JSON to hand over. Every look is in the audit log."""
    person = _person_for_data_rights(request, pk)
    data = privacy.export(person)
    wanted = request.GET.get("format")
    filename = _("personal-data-%(number)s") % {"number": person.pk}
    context = {"person": person, "sections": privacy.readable(data)}
    if wanted == "pdf":
        return pdf_response(
            request,
            lambda: render_pdf("trajects/personal_data_pdf.html", context, request),
            f"{filename}.pdf",
            fallback=reverse("trajects:personal_data", args=[person.pk]),
            about=person,
        )
    if wanted == "json":
        response = JsonResponse(
            data,
            encoder=privacy.JSONEncoder,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        audit.record(AuditAction.DOWNLOAD, user=request.user, obj=person)
        return response
    audit.record(AuditAction.EXPORT, user=request.user, obj=person)
    return render(request, "trajects/personal_data.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def erase(request, pk):
    """Erasing one participant on their request (AVG): a page that says what will go and what
    stays, and a button that does it."""
    person = _person_for_data_rights(request, pk)
    refused = why_not(privacy.check_erase, person)
    if request.method == "POST" and not refused:
        name = person.full_name
        try:
            privacy.erase(person, by=request.user)
        except StepRefused as refusal:  # erased or started meanwhile, by someone else
            refused = " ".join(refusal.messages)
        else:
            messages.success(request, _("%(name)s is erased.") % {"name": name})
            return redirect("trajects:personal_data", pk=person.pk)
    context = {
        "person": person,
        "refused": refused,
        "removes": [] if refused else privacy.what_erasing_removes(person),
    }
    status = 422 if refused and request.method == "POST" else 200
    return render(request, "trajects/erase.html", context, status=status)
