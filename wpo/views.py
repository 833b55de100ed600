from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wpo import access


@require_GET
@login_required
def home(request):
    url_name = access.home_url_name(request.user)
    if url_name is None:
        return render(request, "wpo/no_role.html", status=403)
    return redirect(url_name)


@require_GET
@login_required
def privacy(request):
    """What the app keeps about people, why, who sees it and for how long."""
    return render(request, "wpo/privacy.html", {"retention_years": settings.WPO_RETENTION_YEARS})


@require_GET
@never_cache
def health(request):
    """For the load balancer and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
