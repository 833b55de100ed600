from django import template
from django.utils.html import format_html

from wpo.idempotency import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden one-time token for a form whose post is `@idempotent`; fresh at every render,
    so the empty form shown after a save carries a new one."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())
