from django.conf import settings

from wpo import access


def organisation(request):
    """The header: the organisation's name and the pages the user's roles open."""
    return {
        "organisation_name": settings.WPO_ORGANISATION_NAME,
        "roles": access.scope_of(request.user).roles,
    }
