"""A registration of interest corrected or withdrawn, by a trainer or coach of its department
(who take intakes there), while it waits to start."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trajects import forms, services
from trajects.models import Interest
from wpo import access
from wpo.http import INVALID, run_step
from wpo.idempotency import idempotent
from wpo.models import Person, Role


def _waiting_interest(request, pk):
    """The registration, if the user takes intakes in its department (404 out of sight, 403
    in sight only); None when it was started or withdrawn meanwhile."""
    interest = access.get_visible_or_404(
        Interest.objects.select_related("person", "department", "supervisor", "trajectory"),
        request.user,
        pk=pk,
    )
    if not access.may_take_intake(request.user, interest.department_id):
        raise PermissionDenied
    if interest.is_dealt_with:
        messages.info(request, _("This registration has already been dealt with."))
        return None
    return interest


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def interest_correct(request, pk):
    interest = _waiting_interest(request, pk)
    if interest is None:
        return redirect("home")
    supervisors = Person.objects.in_role(Role.TRAINER, departments=[interest.department_id])
    initial = {
        **model_to_dict(
            interest.person, fields=["first_name", "infix", "last_name", "employee_number"]
        ),
        **model_to_dict(interest, fields=["supervisor", "wish", "registered_on"]),
    }
    form = forms.CorrectInterestForm(request.POST or None, supervisors=supervisors, initial=initial)
    step = services.correct_interest
    if form.is_valid() and run_step(form, step, interest, **form.cleaned_data, by=request.user):
        messages.success(request, _("The registration is corrected."))
        return redirect("trajects:trajectory_start", pk=interest.pk)
    status = INVALID if form.errors else 200
    context = {"form": form, "interest": interest}
    return render(request, "trajects/interest_correct.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def interest_withdraw(request, pk):
    interest = _waiting_interest(request, pk)
    if interest is None:
        return redirect("home")
    form = forms.WithdrawInterestForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        withdrawn = run_step(
            form,
            services.withdraw_interest,
            interest,
            reason=data["reason"],
            on=data["withdrawn_on"],
            by=request.user,
        )
        if withdrawn:
            messages.success(
                request,
                _("The registration of %(name)s is withdrawn; it is off the waiting list.")
                % {"name": interest.person.full_name},
            )
            return redirect("home")
    status = INVALID if form.errors else 200
    context = {"form": form, "interest": interest}
    return render(request, "trajects/interest_withdraw.html", context, status=status)
