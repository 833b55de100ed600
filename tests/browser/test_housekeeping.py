"""Housekeeping in the app, in Chromium: a registration withdrawn, a participant erased on
request, a forgotten password reset through the e-mail's link, employees imported from a CSV
file with one bad line."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from tests.browser.test_accessibility import serious
from tests.factories import (
    PASSWORD,
    CertificateFactory,
    InterestFactory,
    TrajectoryFactory,
)
from wpo.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainer_withdraws_a_registration_and_it_leaves_the_waiting_list(phone, world):
    InterestFactory(
        person__department=world.department,
        person__first_name="Noor",
        person__last_name="Haddou",
        supervisor=world.trainer,
    )
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto("/trainer/")
    waiting = phone.locator(".card", has_text="Noor Haddou")
    waiting.get_by_role("link", name="WPO-traject starten").click()
    phone.get_by_role("link", name="Aanmelding intrekken").click()
    phone.get_by_label("Waarom wacht de medewerker niet meer op de start?").fill(
        "Gaat naar een andere werkgever."
    )
    assert serious(phone) == []
    phone.get_by_role("button", name="Aanmelding intrekken").click()

    expect(phone.locator(".messages")).to_contain_text("is ingetrokken")
    expect(phone.get_by_role("heading", name="Mijn deelnemers")).to_be_visible()
    expect(phone.locator(".card", has_text="Noor Haddou")).to_have_count(0)


def test_a_coach_erases_a_participant_on_request(page, world):
    last_month = timezone.localdate() - datetime.timedelta(days=30)
    trajectory = TrajectoryFactory(
        department=world.department,
        trainer=world.trainer,
        coach=world.coach,
        participant__first_name="Noor",
        participant__last_name="Haddou",
        agreed_start=last_month - datetime.timedelta(days=200),
        agreed_end=last_month,
        phase=4,
        closed_on=last_month,
    )
    certificate = CertificateFactory(trajectory=trajectory, participant_name="Noor Haddou")
    log_in(page, world.coach.user.username, PASSWORD)
    page.goto(f"/people/{trajectory.participant_id}/personal-data/")
    page.get_by_role("link", name="Wissen op verzoek").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Noor Haddou wissen op verzoek")
    expect(page.get_by_role("heading", name="Wat verdwijnt")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Certificaten: de naam wordt initialen: 1")
    expect(page.locator("main")).to_contain_text("de code is nog steeds te controleren")
    assert serious(page) == []
    page.get_by_role("button", name="Definitief wissen").click()

    expect(page.locator(".messages")).to_contain_text("Noor Haddou is gewist")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Geanonimiseerd")
    log_out(page)
    page.goto(f"/certificates/verify/{certificate.code}/")
    expect(page.locator("main")).to_contain_text("N. H.")
    expect(page.locator("main")).not_to_contain_text("Haddou")


def test_a_forgotten_password_is_reset_through_the_emails_link(page, world):
    user = world.trainer.user
    user.email = "tineke@example.nl"
    user.save(update_fields=["email"])
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill("tineke@example.nl")
    assert serious(page) == []
    page.get_by_role("button", name="Link sturen").click()
    expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()
    assert mail.outbox == []  # the worker sends it

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    page.fill("input[name=new_password1]", "Werkvloer-2026-groen")
    page.fill("input[name=new_password2]", "Werkvloer-2026-groen")
    page.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    expect(page.get_by_role("heading", name="Je nieuwe wachtwoord is opgeslagen")).to_be_visible()

    log_in(page, user.username, "Werkvloer-2026-groen")
    expect(page.get_by_role("heading", name="Mijn deelnemers")).to_be_visible()


def test_the_administrator_imports_employees_and_one_bad_line_stops_the_import(
    page, world, tmp_path
):
    good = "Anna de Vries;1001;Inpak;anna@example.nl\nKees Smit;1002;Groen;\n"
    bad = tmp_path / "medewerkers.csv"
    bad.write_text(
        f"naam;personeelsnummer;afdeling;e-mail\n{good}Piet Klaassen;1003;Magazijn;\n",
        encoding="utf-8",
    )
    log_in(page, world.admin.username, PASSWORD)
    page.goto("/people/")
    page.get_by_role("link", name="Medewerkers importeren (CSV)").click()
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Bestand controleren").click()

    report = page.locator(".import-report")
    expect(report).to_contain_text("1 regel is geweigerd")
    expect(report.locator(".line-refused")).to_contain_text("Er is geen afdeling “Magazijn”")
    expect(page.get_by_role("button", name="Deze medewerkers importeren")).to_have_count(0)
    assert serious(page) == []
    assert not Person.objects.filter(employee_number__in=["1001", "1002", "1003"]).exists()

    bad.write_text(f"naam;personeelsnummer;afdeling;e-mail\n{good}", encoding="utf-8")
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(report).to_contain_text("2 nieuwe medewerkers kunnen worden geïmporteerd")
    page.get_by_role("button", name="Deze medewerkers importeren").click()

    expect(page.locator(".messages")).to_contain_text("2 medewerkers zijn geïmporteerd")
    assert Person.objects.filter(employee_number__in=["1001", "1002"]).count() == 2
