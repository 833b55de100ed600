"""The form fields and helpers every app's forms share: dates people type (this century only),
texts with a limit, a service's refusal on the form, and the version an edit form carries."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wpo.services import EditConflict

DATABASE_INTEGERS = range(-(2**63), 2**63)
TEXT_LIMIT = 4000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class FormRenderer(TemplatesSetting):
    """Every form in the site's markup: `{{ form }}` gives the Dutch error summary and each
    field with its label, help and message tied to the input for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class ManyField(forms.ModelMultipleChoiceField):
    """Ticked rows. A number the database cannot hold (typed in, not ticked) is an unknown
    choice, not a server error: Django guards the single lookup against it, not the `__in`."""

    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number at all: Django itself reports it
            if number not in DATABASE_INTEGERS:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def today():
    return timezone.localdate()


def add_refusal(form, error: ValidationError):
    """A service's refusal on the form: at its field where the form has one, on top otherwise.
    An edit conflict also shows what was saved meanwhile, and the form takes on the saved
    version, so saving again (after taking over what is needed) is on purpose."""
    if isinstance(error, EditConflict):
        form.conflict = saved_lines(error)
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = error.saved.version
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def saved_lines(conflict: EditConflict) -> list[tuple[str, str]]:
    """(label, text) for each field of the row as someone else saved it."""
    row, lines = conflict.saved, []
    for name in conflict.fields:
        field, value = row._meta.get_field(name), getattr(row, name)
        if field.choices:
            value = getattr(row, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, datetime.datetime):
            value = formats.date_format(timezone.localtime(value), "j F Y, H:i")
        elif isinstance(value, datetime.date):
            value = formats.date_format(value, "j F Y")
        lines.append((capfirst(field.verbose_name), "" if value is None else str(value)))
    return lines


class VersionedForm(forms.Form):
    """An edit form: it carries the version of the row it was loaded with, so a save over
    someone else's newer save is refused (`EditConflict`). Empty on a page loaded
    before versions existed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def within_years(value):
    """Dates from this century only: a typo like 0202 or 20266 is caught here, before any
    date arithmetic."""
    if not 2000 <= value.year <= 2099:
        raise ValidationError(_("Choose a date between 2000 and 2099."), code="year")


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput, validators=[within_years], **kwargs)


def datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput,
        input_formats=[DATETIME_FORMAT],
        validators=[within_years],
        **kwargs,
    )


def text_field(label, *, required=False, limit=TEXT_LIMIT, rows=3, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name
