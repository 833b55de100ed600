from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wpo.forms import ManyField, date_field, text_field


class IssueForm(forms.Form):
    issued_on = date_field(_("Date on the certificate"), initial=timezone.localdate)
    place = forms.CharField(
        label=_("Place on the certificate"),
        max_length=100,
        initial=lambda: settings.WPO_ORGANISATION_PLACE,
    )


class RevokeForm(forms.Form):
    reason = text_field(
        _("Reason for revoking"),
        required=True,
        limit=1000,
        help_text=_("For example: a mistake in the name. Only the people who issue see it."),
    )
    reissue = forms.BooleanField(
        label=_("Issue a new certificate today, with what is recorded now"),
        required=False,
    )


class SelectionForm(forms.Form):
    """Which certificates to show for printing: of a department, of the participants invited to
    a closing, or all the user may print (to pick by hand)."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("all")
    )
    meeting = forms.ModelChoiceField(
        label=_("Closing"), queryset=None, required=False, empty_label=_("any")
    )

    def __init__(self, *args, departments, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["meeting"].queryset = meetings

    def title(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("meeting") or data.get("department")
        return str(chosen) if chosen else str(_("Certificates"))


class BatchForm(forms.Form):
    title = forms.CharField(label=_("Name of the print job"), max_length=200)
    certificates = ManyField(
        queryset=None,
        error_messages={
            "required": _("Choose at least one certificate."),
            "invalid_choice": _("One of the chosen certificates cannot be printed (any more)."),
            "invalid_pk_value": _("One of the chosen certificates cannot be printed (any more)."),
        },
    )

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificates"].queryset = certificates
