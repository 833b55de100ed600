from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value):
    """Someone's words inside a translated sentence, isolated as `<bdi>` is: a direction mark
    in a name cannot turn the rest of the sentence around. Elsewhere templates write `<bdi>`."""
    return format_html("<bdi>{}</bdi>", value)
