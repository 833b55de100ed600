from django.contrib import admin

from certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["participant_name", "code", "issued_on", "revoked_at"]
    list_filter = ["issued_on", "revoked_at"]
    search_fields = ["participant_name", "code"]
    autocomplete_fields = ["trajectory", "issued_by"]
    readonly_fields = ["code"]
    date_hierarchy = "issued_on"
