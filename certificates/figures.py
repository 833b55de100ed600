"""Certificates in the project manager's figures: the valid ones issued in the period, per
department."""

from django.db.models import Count
from django.dispatch import receiver

from certificates.models import Certificate
from trajects.reports import figures


@receiver(figures.counting)
def certificates_issued(sender, report, **kwargs):
    certificates = (
        Certificate.objects.counted_for(report.user)
        .valid()
        .filter(report.in_unit("trajectory__department__"), issued_on__range=report.period.days)
    )
    return report.per_row(certificates, "trajectory__department", certificates=Count("pk"))
