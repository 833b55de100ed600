"""The forms that correct or withdraw a registration of interest; the rules are in
`trajects.services.registrations`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajects.services.registrations import REASON_LIMIT
from wpo.forms import PersonChoiceField, date_field, text_field, today
from wpo.models import Person


class CorrectInterestForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=60)
    infix = forms.CharField(label=_("Infix"), max_length=20, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    employee_number = forms.CharField(label=_("Employee number"), max_length=30, required=False)
    supervisor = PersonChoiceField(
        label=_("Direct supervisor"), queryset=Person.objects.none(), required=False
    )
    wish = text_field(_("What would the employee like to learn?"))
    registered_on = date_field(_("Registered on"))
    reason = forms.CharField(
        label=_("What was wrong?"),
        max_length=REASON_LIMIT,
        help_text=_("Kept in the history, with your name."),
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors


class WithdrawInterestForm(forms.Form):
    withdrawn_on = date_field(_("Withdrawn on"), initial=today)
    reason = text_field(_("Why does the employee no longer wait to start?"), required=True)
