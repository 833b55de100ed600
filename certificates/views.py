from django.shortcuts import render
from django.views.decorators.http import require_GET

from certificates.models import Certificate


@require_GET
def verify(request, code):
    """Public: anyone holding a certificate can have it checked. Shows only what is printed on
    it, and the same friendly page for a code that does not exist."""
    certificate = Certificate.objects.filter(code=code.strip().upper()).first()
    return render(request, "certificates/verify.html", {"certificate": certificate, "code": code})
