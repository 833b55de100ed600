from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form in the site's markup: `{{ form }}` gives the Dutch error summary and each
    field with its label, help and message tied to the input for screen readers."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
