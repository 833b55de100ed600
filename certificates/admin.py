from django.contrib import admin

from certificates.models import Certificate, CertificateBatch
from wpo.admin import ReadOnlyAdmin


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """A snapshot of the day it was issued: issued and revoked on the trajectory's certificate
    page."""

    app_page = ("certificates:trajectory", "trajectory_id")
    list_display = ["participant_name", "code", "issued_on", "revoked_at"]
    list_filter = ["issued_on", "revoked_at"]
    search_fields = ["participant_name", "code"]
    autocomplete_fields = ["trajectory", "issued_by"]
    readonly_fields = ["code"]
    date_hierarchy = "issued_on"


@admin.register(CertificateBatch)
class CertificateBatchAdmin(admin.ModelAdmin):
    """Print jobs, to see what the worker did; the PDF itself is downloaded from the site."""

    list_display = ["title", "requested_by", "requested_at", "finished_at"]
    list_filter = ["requested_at"]
    exclude = ["pdf", "certificates"]
    readonly_fields = ["title", "requested_by", "site_url", "task_id", "finished_at"]

    def has_add_permission(self, request):
        return False
