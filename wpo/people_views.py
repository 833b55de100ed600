"""The administrator's pages for people and roles: who works with the app and in which role, a
person added, a login made, a role given or taken, employees imported from a CSV file. The
steps are in `wpo.people`."""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wpo import access, people
from wpo.http import INVALID, run_step
from wpo.idempotency import idempotent
from wpo.models import BusinessUnit, Department, Membership, Person, Role

MOST_BYTES = 2 * 1024 * 1024


class PersonForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=60)
    infix = forms.CharField(label=gettext_lazy("Infix"), max_length=20, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=80)
    employee_number = forms.CharField(
        label=gettext_lazy("Employee number"), max_length=30, required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.select_related("business_unit"),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    username = forms.CharField(
        label=gettext_lazy("Login name"),
        max_length=150,
        required=False,
        help_text=gettext_lazy(
            "Only for who works with the app. They choose a password through "
            "“Forgot your password?” with the e-mail address."
        ),
    )


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Login name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.select_related("business_unit"),
        required=False,
        help_text=gettext_lazy("For a workplace trainer or coach."),
    )
    business_unit = forms.ModelChoiceField(
        label=gettext_lazy("Business unit"),
        queryset=BusinessUnit.objects.all(),
        required=False,
        help_text=gettext_lazy("For a business-unit manager."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), required=False)
    # a checked file comes back with the page, so importing it needs no second upload
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        upload, checked = data.get("file"), data.get("checked")
        if upload:
            if upload.size > MOST_BYTES:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            data["raw"] = upload.read()
        elif checked:
            try:
                data["raw"] = base64.b64decode(checked, validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError(_("Choose the file again.")) from None
        else:
            self.add_error("file", _("Choose a CSV file."))
        return data


def _staff():
    """People who work with the app: a login or a role; their roles at once."""
    roles = Membership.objects.select_related("department", "business_unit").order_by(
        "role", "department__name"
    )
    return (
        Person.objects.filter(Q(user__isnull=False) | Q(memberships__isnull=False))
        .distinct()
        .select_related("user", "department")
        .prefetch_related(Prefetch("memberships", queryset=roles))
        .order_by("last_name", "first_name")
    )


@require_GET
@access.admin_required
def people_list(request):
    return render(request, "wpo/people.html", {"people": _staff()})


@require_http_methods(["GET", "POST"])
@access.admin_required
@idempotent
def person_new(request):
    form = PersonForm(request.POST or None)
    if form.is_valid():
        person = run_step(form, people.add_person, **form.cleaned_data, by=request.user)
        if person:
            messages.success(request, _("%(name)s is added.") % {"name": person.full_name})
            return redirect("person_roles", pk=person.pk)
    status = INVALID if form.errors else 200
    return render(request, "wpo/person_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@access.admin_required
@idempotent
def person_roles(request, pk):
    """A person's login and roles: a role given, a role taken, a login made."""
    person = get_object_or_404(Person.objects.select_related("user", "department"), pk=pk)
    role_form = RoleForm(request.POST if "give" in request.POST else None)
    login_form = LoginForm(request.POST if "login" in request.POST else None)
    if "take" in request.POST:
        membership = get_object_or_404(person.memberships, pk=request.POST["take"])
        people.take_role(membership, by=request.user)
        messages.success(request, _("The role is taken away."))
        return redirect("person_roles", pk=person.pk)
    for form, step, done in [
        (role_form, people.give_role, _("The role is given.")),
        (login_form, people.make_login, _("The login is made.")),
    ]:
        if form.is_valid() and run_step(form, step, person, **form.cleaned_data, by=request.user):
            messages.success(request, done)
            return redirect("person_roles", pk=person.pk)
    context = {
        "person": person,
        "roles": person.memberships.select_related("department", "business_unit").order_by("role"),
        "role_form": role_form,
        "login_form": login_form,
    }
    status = INVALID if role_form.errors or login_form.errors else 200
    return render(request, "wpo/person_roles.html", context, status=status)


@require_http_methods(["GET", "POST"])
@access.admin_required
@idempotent
def people_import(request):
    """Check a CSV file of employees (a dry run), then import it, all lines or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report, checked = None, ""
    if form.is_valid():
        raw = form.cleaned_data["raw"]
        dry_run = "import" not in request.POST
        report = people.import_employees(raw, dry_run=dry_run, by=request.user)
        if report.imported:
            messages.success(
                request, _("%(count)s employees are imported.") % {"count": report.imported}
            )
            return redirect("people")
        if report.ok and report.new:
            checked = base64.b64encode(raw).decode()
    status = INVALID if form.errors or (report and not report.ok) else 200
    context = {"form": form, "report": report, "checked": checked}
    return render(request, "wpo/people_import.html", context, status=status)
