from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

DATABASE_INTEGERS = range(-(2**63), 2**63)


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
