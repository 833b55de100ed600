"""The participant's data rights (AVG): everything about them on request, and anonymised once
the retention period after their last trajectory has passed."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate
from tests.factories import (
    CertificateFactory,
    EscalationFactory,
    FloorNoteFactory,
    GuidanceConversationFactory,
    InterestFactory,
    MailFactory,
    MeetingFactory,
    PhaseChangeFactory,
    TrajectoryFactory,
)
from trajects import privacy, services
from trajects.models import Escalation, FloorNote, GuidanceConversation, Mail, Trajectory
from wpo.models import AuditAction, AuditEvent, Person

YEARS_AGO_3 = timezone.localdate() - datetime.timedelta(days=3 * 366)
# 11:00 in Amsterdam (summer time)
SEPTEMBER_25_AT_9_UTC = datetime.datetime(2026, 9, 25, 9, 0, tzinfo=datetime.UTC)


def ended(world, on, **fields):
    """A participant whose one trajectory closed on `on`, with a conversation, a note and a
    certificate."""
    trajectory = TrajectoryFactory(
        department=world.department,
        trainer=world.trainer,
        coach=world.coach,
        agreed_start=on - datetime.timedelta(days=200),
        agreed_end=on,
        phase=4,
        closed_on=on,
        **fields,
    )
    GuidanceConversation.objects.create(
        trajectory=trajectory,
        held_at=timezone.now() - datetime.timedelta(days=1),
        participant_account="Ik durf nu hulp te vragen.",
        trainer_observations="Vroeg twee keer om uitleg.",
    )
    FloorNoteFactory(trajectory=trajectory, text="Thuis gedoe, daarom stil vandaag.")
    CertificateFactory(trajectory=trajectory, participant_name=trajectory.participant.full_name)
    return trajectory


def test_the_export_holds_what_was_written_and_its_earlier_versions(world):
    conversation = services.hold_conversation(
        world.trajectory,
        held_at=timezone.now(),
        participant_account="Eerste versie.",
        trainer_observations="Gezien.",
    )
    services.edit_conversation(
        conversation, participant_account="Tweede versie.", trainer_observations="Gezien."
    )
    CertificateFactory(trajectory=world.trajectory)

    data = privacy.export(world.trajectory.participant)

    text = json.dumps(data, ensure_ascii=False, cls=privacy.JSONEncoder)
    assert "Tweede versie." in text
    assert "Eerste versie." in text
    assert data["certificates"][0]["verification_code"]
    assert data["person"]["last_name"] == world.trajectory.participant.last_name


def test_the_coach_downloads_the_export_and_the_audit_log_says_so(client, world):
    client.force_login(world.coach.user)
    person = world.trajectory.participant

    response = client.get(reverse("trajects:personal_data", args=[person.pk]), {"format": "json"})

    disposition = f'attachment; filename="persoonsgegevens-{person.pk}.json"'
    assert response["Content-Disposition"] == disposition
    assert json.loads(response.content)["person"]["first_name"] == person.first_name
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.user, event.object_id) == (world.coach.user, str(person.pk))


def test_the_readable_page_labels_everything_in_dutch(client, world):
    FloorNoteFactory(trajectory=world.trajectory, text="Een notitie.")
    client.force_login(world.coach.user)

    page = client.get(
        reverse("trajects:personal_data", args=[world.trajectory.participant_id])
    ).content.decode()

    assert "Een notitie." in page
    assert "Werkvloernotities" in page
    assert "Voornaam" in page


def personal_data(client, user, person, **query):
    client.force_login(user)
    return client.get(reverse("trajects:personal_data", args=[person.pk]), query)


def test_the_page_shows_dates_and_times_in_dutch_local_time(client, world):
    FloorNoteFactory(trajectory=world.trajectory, written_at=SEPTEMBER_25_AT_9_UTC)

    page = personal_data(client, world.coach.user, world.trajectory.participant).content.decode()

    assert "25 september 2026 11:00" in page
    assert "2026-09-25" not in page


def test_the_file_keeps_times_in_iso_with_their_offset(client, world):
    FloorNoteFactory(trajectory=world.trajectory, written_at=SEPTEMBER_25_AT_9_UTC)

    response = personal_data(client, world.coach.user, world.trajectory.participant, format="json")

    notes = json.loads(response.content)["trajectories"][0]["floor_notes"]
    assert notes[0]["written_at"] == "2026-09-25T11:00:00+02:00"


def test_the_export_lists_meetings_whose_notes_name_the_participant(world):
    person = world.trajectory.participant
    named = MeetingFactory(
        held_on=timezone.localdate(), notes=f"{person.full_name.upper()} vertelde over haar werk."
    )
    MeetingFactory(held_on=timezone.localdate(), notes="Niemand genoemd.")

    data = privacy.export(person)

    assert [row["notes"] for row in data["named_in_meetings"]] == [named.notes]


def test_the_export_lists_escalations_elsewhere_that_name_the_participant(world):
    person = world.trajectory.participant
    elsewhere = EscalationFactory(
        department=world.department,
        raised_by=world.coach,
        subject="Rooster",
        answer=f"Ik spreek {person.full_name} morgen.",
        answered_at=timezone.now(),
    )
    EscalationFactory(  # listed with the trajectory already
        trajectory=world.trajectory,
        department=world.department,
        raised_by=world.coach,
        description=f"{person.full_name} komt niet.",
    )

    data = privacy.export(person)

    assert [row["answer"] for row in data["named_in_escalations"]] == [elsewhere.answer]


def test_the_export_lists_who_viewed_or_downloaded_the_data(client, world):
    person = world.trajectory.participant
    personal_data(client, world.coach.user, person)
    personal_data(client, world.project_manager.user, person, format="json")
    personal_data(client, world.coach.user, world.other_trajectory.participant)  # someone else

    data = privacy.export(person)

    assert [(row["who"], row["what"]) for row in data["audit_log"]] == [
        (world.project_manager.full_name, "gedownload"),
        (world.coach.full_name, "geëxporteerd"),
    ]


def test_the_page_shows_the_mentions_and_who_viewed(client, world):
    person = world.trajectory.participant
    MeetingFactory(held_on=timezone.localdate(), notes=f"{person.full_name} was er.")
    personal_data(client, world.project_manager.user, person, format="json")

    page = personal_data(client, world.coach.user, person).content.decode()

    assert f"{person.full_name} was er." in page
    assert "Bijeenkomsten waarvan de notities de deelnemer noemen" in page
    assert "Wie deze gegevens heeft ingezien of gedownload" in page
    assert world.project_manager.full_name in page


def test_only_a_participant_long_gone_is_due_for_anonymising(world):
    gone = ended(world, YEARS_AGO_3)
    recent = ended(world, timezone.localdate() - datetime.timedelta(days=100))
    waiting_again = ended(world, YEARS_AGO_3)
    InterestFactory(person=waiting_again.participant)

    due = set(privacy.due_for_anonymising())

    assert gone.participant in due
    assert recent.participant not in due
    assert waiting_again.participant not in due
    assert world.trajectory.participant not in due  # still open


def test_a_dry_run_reports_and_changes_nothing(world):
    trajectory = ended(world, YEARS_AGO_3)
    out = io.StringIO()

    call_command("anonymise", "--dry-run", stdout=out)

    assert f"participant #{trajectory.participant_id}: " in out.getvalue()
    assert "1 participant(s) would be anonymised" in out.getvalue()
    assert trajectory.participant.full_name not in out.getvalue()
    trajectory.participant.refresh_from_db()
    assert trajectory.participant.anonymised_on is None
    assert FloorNote.objects.filter(text__startswith="Thuis").exists()


def test_anonymising_removes_names_texts_and_their_history(world):
    trajectory = ended(world, YEARS_AGO_3)
    name = trajectory.participant.full_name

    call_command("anonymise", stdout=io.StringIO())

    person = Person.objects.get(pk=trajectory.participant_id)
    conversation = GuidanceConversation.objects.get(trajectory=trajectory)
    assert name not in person.full_name
    assert person.anonymised_on
    assert conversation.participant_account == ""
    assert conversation.trainer_observations == ""
    assert FloorNote.objects.get(trajectory=trajectory).text == privacy.REMOVED
    assert not GuidanceConversation.history.filter(participant_account__contains="hulp").exists()
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE).count() == 1
    assert Trajectory.objects.get(pk=trajectory.pk).closed_on == YEARS_AGO_3


def test_anonymising_removes_the_address_and_the_e_mails_kept_for_them(world):
    trajectory = ended(world, YEARS_AGO_3)
    person = trajectory.participant
    person.email = "noor@example.nl"
    person.save(update_fields=["email"])
    MailFactory(recipient=person, address=person.email, body="Hallo Noor")

    call_command("anonymise", stdout=io.StringIO())

    person.refresh_from_db()
    assert person.email == ""
    assert not Mail.objects.exists()


def test_the_certificate_still_verifies_with_initials_only(client, world):
    trajectory = ended(world, YEARS_AGO_3)
    person = trajectory.participant
    initials = f"{person.first_name[0]}. {person.last_name[0]}."

    call_command("anonymise", stdout=io.StringIO())

    certificate = Certificate.objects.get(trajectory=trajectory)
    page = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert certificate.participant_name == initials
    assert initials in page
    assert person.last_name not in page


def test_anonymising_twice_finds_nobody_the_second_time(world):
    ended(world, YEARS_AGO_3)
    call_command("anonymise", stdout=io.StringIO())
    out = io.StringIO()

    call_command("anonymise", "--again", stdout=out)

    assert "0 participant(s) were anonymised" in out.getvalue()


def test_anonymising_runs_once_a_day_however_often_cron_starts_it(world):
    ended(world, YEARS_AGO_3)
    call_command("anonymise", stdout=io.StringIO())
    out = io.StringIO()

    call_command("anonymise", stdout=out)

    assert "Nothing to do: anonymise for" in out.getvalue()
    assert "done" in out.getvalue()


@pytest.mark.parametrize("years", [1, 5])
def test_the_retention_period_is_a_setting(world, settings, years):
    settings.WPO_RETENTION_YEARS = years
    trajectory = ended(world, YEARS_AGO_3)

    assert (trajectory.participant in privacy.due_for_anonymising()) == (years < 3)


def test_the_export_as_pdf_holds_what_the_page_holds(client, world, weasyprint):
    person = world.trajectory.participant
    FloorNoteFactory(
        trajectory=world.trajectory, text="Vroeg zelf om uitleg.", written_at=SEPTEMBER_25_AT_9_UTC
    )
    MeetingFactory(held_on=timezone.localdate(), notes=f"{person.full_name} was er.")
    personal_data(client, world.project_manager.user, person)

    response = personal_data(client, world.coach.user, person, format="pdf")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert person.full_name in text
    assert "Vroeg zelf om uitleg." in text
    assert "Werkvloernotities" in text
    assert "25 september 2026 11:00" in text
    assert f"{person.full_name} was er." in text
    assert world.project_manager.full_name in text


def test_anonymising_reaches_escalations_revocations_and_deleted_rows(world):
    trajectory = ended(world, YEARS_AGO_3)
    name = trajectory.participant.full_name
    EscalationFactory(
        trajectory=trajectory,
        department=world.department,
        raised_by=world.coach,
        subject=f"{name} komt niet",
        description=f"{name} is vaak afwezig.",
    )
    Certificate.objects.filter(trajectory=trajectory).update(
        revoked_at=timezone.now(), revoked_reason=f"Fout in de naam {name}"
    )
    planned = GuidanceConversationFactory(trajectory=trajectory)
    GuidanceConversation.objects.filter(pk=planned.pk).update(agreements=f"{name} oefent")
    GuidanceConversation.objects.get(pk=planned.pk).delete()  # called off, while it ran

    call_command("anonymise", stdout=io.StringIO())

    assert name not in " ".join(Escalation.objects.values_list("subject", "description")[0])
    assert Certificate.objects.get(trajectory=trajectory).revoked_reason == privacy.REMOVED
    assert not GuidanceConversation.history.filter(id=planned.pk).exists()


def test_someone_who_only_registered_is_anonymised_after_the_withdrawal(world):
    old = InterestFactory(person__department=world.department, withdrawn_on=YEARS_AGO_3)
    recent = InterestFactory(person__department=world.department, withdrawn_on=timezone.localdate())

    due = set(privacy.due_for_anonymising())

    assert old.person in due
    assert recent.person not in due


def test_staff_are_never_anonymised(world):
    ended(world, YEARS_AGO_3, participant=world.trainer)

    assert world.trainer not in privacy.due_for_anonymising()


def test_the_export_holds_phases_and_escalations(world):
    PhaseChangeFactory(trajectory=world.trajectory, phase=2)
    EscalationFactory(
        trajectory=world.trajectory,
        department=world.department,
        raised_by=world.coach,
        subject="Te weinig tijd",
    )

    data = privacy.export(world.trajectory.participant)

    trajectory = data["trajectories"][0]
    assert trajectory["escalations"][0]["subject"] == "Te weinig tijd"
    assert trajectory["phase_changes"][0]["phase"] == "Leer/werkperiode"


def test_a_coach_does_not_export_a_colleagues_data(client, world):
    client.force_login(world.coach.user)

    response = client.get(reverse("trajects:personal_data", args=[world.trainer.pk]))

    assert response.status_code == 403
