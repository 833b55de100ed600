"""A coach issues the certificate at the closing from the participant's page and downloads it;
the public verification page says it is valid, and revoked once the coach revokes it."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from assignments.models import Level
from certificates.models import Certificate
from tests.browser.conftest import log_in
from tests.certificates.conftest import assess
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("weasyprint")
def test_coach_issues_downloads_and_revokes_a_certificate(page, world, browser, live_server):
    trajectory = assess(world.trajectory, Samenwerken=Level.B)
    log_in(page, world.coach.user.username, PASSWORD)

    page.goto(reverse("trajects:trajectory", args=[trajectory.pk]))
    page.get_by_role("link", name="Certificaat", exact=True).click()
    page.get_by_role("link", name="Certificaat uitreiken").click()
    page.get_by_role("button", name="Certificaat uitreiken").click()
    expect(page.get_by_text("Het certificaat is uitgereikt.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Certificaat downloaden (PDF)").click()
    certificate = Certificate.objects.get()
    pdf = PdfReader(download.value.path())
    assert certificate.code in pdf.pages[0].extract_text()

    visitor = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    visitor.goto(f"/certificates/verify/{certificate.code}/")
    expect(visitor.get_by_text("Dit certificaat is geldig.")).to_be_visible()
    expect(visitor.get_by_text(certificate.participant_name)).to_be_visible()

    page.get_by_role("link", name="Intrekken of verbeteren").click()
    page.get_by_label("Reden van intrekken").fill("Fout in de naam")
    page.get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text("Het certificaat is ingetrokken.")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_text("Dit certificaat is ingetrokken.")).to_be_visible()
    expect(visitor.get_by_text(certificate.participant_name)).to_have_count(0)
    visitor.context.close()


@pytest.mark.usefixtures("weasyprint")
def test_a_certificate_states_the_period_until_an_early_closing(page, world):
    trajectory = assess(world.trajectory, Samenwerken=Level.B)
    trajectory.agreed_start, trajectory.agreed_end = (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 3, 1),
    )
    trajectory.closed_on = datetime.date(2026, 9, 29)
    trajectory.save(update_fields=["agreed_start", "agreed_end", "closed_on"])
    log_in(page, world.coach.user.username, PASSWORD)

    page.goto(reverse("certificates:trajectory", args=[trajectory.pk]))
    page.get_by_role("link", name="Certificaat uitreiken").click()
    page.get_by_label("Datum op het certificaat").fill("2026-10-02")
    page.get_by_role("button", name="Certificaat uitreiken").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificaat downloaden (PDF)").click()

    text = " ".join(PdfReader(download.value.path()).pages[0].extract_text().split())
    assert "van 1 september 2026 tot 29 september 2026" in text
