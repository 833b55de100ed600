"""The printed documents: certificates (PDF/A, for the organisation's archive) with a QR code
to their verification page, and the participant's progress sheet. Both speak the organisation's
language, whoever prints them: they are handed to the participant."""

from urllib.parse import urljoin

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assignments.models import Level
from trajects.models import Phase, ProgressStatus
from wpo.pdf import render_pdf

# PDF/A-3b: the archival PDF that keeps its fonts and colours and can be checked for it
PDF_VARIANT = "pdf/a-3b"


def site_url(request) -> str:
    """Where the QR code leads: the configured address, or the one this page was asked on."""
    return settings.WPO_SITE_URL or request.build_absolute_uri("/")


def verify_url(code: str, *, site_url: str) -> str:
    return urljoin(site_url, reverse("certificates:verify", args=[code]))


def qr_code(url: str) -> str:
    """A QR code as an SVG data URI: the PDF draws it sharp at any size, and nothing is
    fetched."""
    return segno.make(url, error="m").svg_data_uri(dark="#1d2733", border=0)


def certificates_pdf(certificates, *, site_url: str) -> bytes:
    """One page per certificate."""
    pages = []
    for certificate in certificates:
        url = verify_url(certificate.code, site_url=site_url)
        pages.append({"certificate": certificate, "url": url, "qr": qr_code(url)})
    context = {"pages": pages, "logo": settings.WPO_ORGANISATION_LOGO}
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("certificates/certificate_pdf.html", context, pdf_variant=PDF_VARIANT)


# the phase as the participant would say it, instead of the method's name for it
PHASE_IN_WORDS = {
    Phase.START: _("You are starting: you choose what you want to learn."),
    Phase.LEARNING: _("You learn at work, one assignment at a time."),
    Phase.ASSESSMENT: _("We look together at what you have learned."),
    Phase.CLOSING: _("You are finishing your WPO."),
}


def progress_sheet_pdf(trajectory) -> bytes:
    """What the participant has done and is doing; needs `Trajectory.objects.with_detail()`."""
    skills = [
        {
            "chosen": chosen,
            "passed": [row for row in chosen.progress.all() if row.status == ProgressStatus.PASSED],
        }
        for chosen in trajectory.skills.all()
    ]
    context = {
        "trajectory": trajectory,
        "skills": skills,
        "printed_on": timezone.localdate(),
        "organisation": settings.WPO_ORGANISATION_NAME,
        "phase_in_words": PHASE_IN_WORDS[trajectory.phase],
        "levels": Level.values,
    }
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("certificates/progress_sheet_pdf.html", context)
