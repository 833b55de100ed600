"""The participant's own pages ("Mijn WPO") through their personal link, and the trainer's
side: making the link, its QR code, the participant card."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.certificates.conftest import decode_qr
from tests.conftest import open_personal_link
from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    ParticipantWordsFactory,
)
from trajects.models import ParticipantWords
from trajects.services.participant import make_link
from wpo.logs import hide_secrets
from wpo.models import AuditAction, AuditEvent

MINE = reverse("trajects:mine")


@pytest.fixture
def progress(world):
    return AssignmentProgressFactory(
        trajectory_skill__trajectory=world.trajectory, assignment__title="Om hulp vragen"
    )


@pytest.fixture
def participant(client, world, progress):
    """The world's participant, on their own phone, after opening their link."""
    open_personal_link(client, world.trajectory)
    return client


def answer_url(progress, number=1):
    return reverse("trajects:mine_answer", args=[progress.pk, number])


def test_opening_the_link_leads_to_an_address_without_the_token(client, world):
    token = make_link(world.trajectory)

    response = client.get(reverse("trajects:participant_open", args=[token]))

    assert response["Location"] == MINE
    assert "no-store" in response["Cache-Control"]


def test_the_page_shows_the_participants_own_assignment(participant, world, progress):
    page = participant.get(MINE).content.decode()

    assert world.trajectory.participant.first_name in page
    assert "Om hulp vragen" in page
    assert world.trainer.full_name in page


def test_the_page_names_no_other_participant(participant, world):
    page = participant.get(MINE).content.decode()

    for other in (world.other_trajectory, world.colleague_trajectory):
        assert other.participant.last_name not in page


def test_the_page_has_no_staff_menu(participant):
    page = participant.get(MINE).content.decode()

    assert reverse("trajects:trainer_home") not in page
    assert reverse("privacy") not in page


def test_the_assignment_shows_its_five_parts(participant, progress):
    page = participant.get(reverse("trajects:mine_assignment", args=[progress.pk])).content
    page = page.decode()

    assignment = progress.assignment
    for part in (
        assignment.learning_goal,
        *assignment.question_list,
        *assignment.summary_points,
        assignment.get_started_task,
        assignment.look_back_task,
    ):
        assert part in page


def test_the_video_is_linked_where_the_catalogue_has_one(participant, progress):
    progress.assignment.video_url = "https://video.example.nl/hulp"
    progress.assignment.save()

    page = participant.get(reverse("trajects:mine_assignment", args=[progress.pk])).content

    assert b"https://video.example.nl/hulp" in page


def test_an_answer_is_saved_and_the_trainer_reads_it(participant, client, world, progress):
    response = participant.post(answer_url(progress), {"q1-text": "Ik vraag Ans."})
    assert response.status_code == 302

    client.force_login(world.trainer.user)
    page = client.get(reverse("trajects:trajectory", args=[world.trajectory.pk])).content
    assert "Ik vraag Ans." in page.decode()


def test_an_empty_answer_gets_a_plain_message(participant, progress):
    response = participant.post(answer_url(progress), {"q1-text": "  "})

    assert response.status_code == 422
    assert "Schrijf eerst iets op" in response.content.decode()
    assert not ParticipantWords.objects.exists()


def test_a_too_long_answer_keeps_what_was_typed(participant, progress):
    typed = "lang " * 500

    response = participant.post(answer_url(progress), {"q1-text": typed})

    assert response.status_code == 422
    assert "te lang" in response.content.decode()
    assert typed.strip() in response.content.decode()


def test_a_second_device_is_shown_the_earlier_text(participant, world, progress):
    words = ParticipantWordsFactory(progress=progress, text="Eerste scherm", version=2)

    response = participant.post(
        answer_url(progress), {"q1-text": "Tweede scherm", "q1-version": "1"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Eerste scherm" in page
    assert "Tweede scherm" in page
    words.refresh_from_db()
    assert words.text == "Eerste scherm"


def test_two_screens_answering_an_open_question_at_once_keep_the_first_answer(
    participant, progress
):
    """Both pages showed no answer yet (version 0): the later save is shown the earlier one."""
    ParticipantWordsFactory(progress=progress, text="Van de tablet")

    response = participant.post(
        answer_url(progress), {"q1-text": "Van de telefoon", "q1-version": "0"}
    )

    assert response.status_code == 422
    assert "Van de tablet" in response.content.decode()
    assert ParticipantWords.objects.get().text == "Van de tablet"


def test_a_page_with_an_open_question_says_nothing_was_written_yet(participant, progress):
    page = participant.get(reverse("trajects:mine_assignment", args=[progress.pk])).content

    assert b'name="q1-version" value="0"' in page


def test_pasted_html_and_emoji_are_kept_and_shown_as_typed(participant, progress):
    typed = "<b>Vet</b> <script>alert(1)</script> Gelukt 👍"

    participant.post(answer_url(progress), {"q1-text": typed, "q1-version": "0"})

    page = participant.get(reverse("trajects:mine_assignment", args=[progress.pk])).content
    assert ParticipantWords.objects.get().text == typed
    assert "&lt;b&gt;Vet&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; Gelukt 👍" in page.decode()
    assert b"<script>alert(1)" not in page


def test_the_look_back_is_saved(participant, progress):
    participant.post(
        reverse("trajects:mine_look_back", args=[progress.pk]), {"lb-text": "Het ging goed."}
    )

    assert ParticipantWords.objects.get().text == "Het ging goed."


def test_how_it_went_offers_the_faces(participant, progress):
    page = participant.get(reverse("trajects:mine_assignment", args=[progress.pk])).content

    for feeling in ("good", "so-so", "hard"):
        assert f'name="lb-feeling" value="{feeling}"'.encode() in page


def test_a_face_alone_is_saved_and_the_trainer_sees_it(participant, client, world, progress):
    response = participant.post(
        reverse("trajects:mine_look_back", args=[progress.pk]), {"lb-feeling": "good"}
    )
    assert response.status_code == 302

    client.force_login(world.trainer.user)
    page = client.get(reverse("trajects:trajectory", args=[world.trajectory.pk])).content.decode()
    assert 'class="with-pictogram words-feeling"' in page
    assert "Goed" in page


def test_an_unknown_face_gets_a_plain_message(participant, progress):
    response = participant.post(
        reverse("trajects:mine_look_back", args=[progress.pk]),
        {"lb-feeling": "<b>super</b>", "lb-text": "Ging prima"},
    )

    assert response.status_code == 422
    assert "Ging prima" in response.content.decode()
    assert "Kies een van de gezichten." in response.content.decode()
    assert "super" not in response.content.decode()
    assert not ParticipantWords.objects.exists()


def test_a_question_for_the_trainer_is_saved(participant):
    response = participant.post(
        reverse("trajects:mine_write", args=["question"]), {"question-text": "Mag ik oefenen?"}
    )

    assert response.status_code == 302
    assert ParticipantWords.objects.get().text == "Mag ik oefenen?"


def test_the_participant_confirms_a_conversation(participant, world):
    held = GuidanceConversationFactory(
        trajectory=world.trajectory, held_at=timezone.now(), agreements="Elke dag om hulp vragen"
    )
    assert "Elke dag om hulp vragen" in participant.get(MINE).content.decode()

    participant.post(reverse("trajects:mine_confirm", args=[held.pk]))

    held.refresh_from_db()
    assert held.confirmed_on_own_page


def test_the_next_conversation_is_told_in_words(participant, world):
    when = timezone.make_aware(datetime.datetime(2031, 12, 4, 14, 0))
    GuidanceConversationFactory(trajectory=world.trajectory, planned_at=when)

    page = participant.get(MINE).content.decode()

    assert "donderdag 4 december om 14:00" in page


def test_done_forgets_the_participant(participant):
    response = participant.post(reverse("trajects:mine_done"), follow=True)

    assert "Je bent klaar. Tot de volgende keer." in response.content.decode()
    assert link_ended(participant.get(MINE))


def link_ended(response):
    """The one friendly page for every link that does not work."""
    return response.status_code == 404 and "Deze link werkt niet meer." in response.content.decode()


@pytest.mark.parametrize("token", ["guessed", "x" * 43, "%00", "a" * 500])
def test_an_unknown_link_gets_the_friendly_page(client, world, token):
    response = client.get(reverse("trajects:participant_open", args=[token]))

    assert link_ended(response)


def test_guessing_is_limited(client, world, settings):
    settings.WPO_LINK_MISSES_PER_HOUR = 3
    for n in range(3):
        client.get(reverse("trajects:participant_open", args=[f"guess-{n}"]))

    response = client.get(reverse("trajects:participant_open", args=["guess-4"]))

    assert response.status_code == 429


def test_a_new_link_ends_the_session_of_the_old_one(participant, world):
    make_link(world.trajectory)

    assert link_ended(participant.get(MINE))


def test_stopping_the_trajectory_ends_the_session(participant, world):
    world.trajectory.stopped_on = timezone.localdate()
    world.trajectory.stop_reason = "Verhuisd"
    world.trajectory.save()

    assert link_ended(participant.get(MINE))


def test_the_session_ends_after_two_hours(participant, world, monkeypatch):
    later = timezone.now() + datetime.timedelta(hours=2, minutes=1)
    monkeypatch.setattr("trajects.views.participant.timezone.now", lambda: later)

    assert link_ended(participant.get(MINE))


def test_opening_a_link_logs_out_whoever_was_logged_in(client, world):
    client.force_login(world.trainer.user)

    open_personal_link(client, world.trajectory)

    response = client.get(reverse("trajects:trainer_home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_another_participants_assignment_is_not_found(participant, world):
    other = AssignmentProgressFactory(trajectory_skill__trajectory=world.other_trajectory)

    response = participant.get(reverse("trajects:mine_assignment", args=[other.pk]))

    assert response.status_code == 404
    assert other.assignment.title not in response.content.decode()


def test_the_token_never_reaches_a_log():
    line = 'method=GET path="/p/AbC-123_xyz/" status=302'

    assert hide_secrets(line) == 'method=GET path="/p/<token>/" status=302'


# The trainer's side


def test_the_trainer_makes_a_link_and_sees_its_qr_code(client, world):
    client.force_login(world.trainer.user)

    response = client.post(reverse("trajects:participant_link", args=[world.trajectory.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in page
    assert re.search(r"/p/[\w-]{43}/", page)
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_LINK_MADE).exists()


def test_the_card_carries_the_link_as_a_qr_code(client, world, tmp_path):
    client.force_login(world.trainer.user)
    page = client.post(reverse("trajects:participant_link", args=[world.trajectory.pk]))
    token = re.search(r"/p/([\w-]{43})/", page.content.decode()).group(1)

    response = client.post(
        reverse("trajects:participant_card", args=[world.trajectory.pk]), {"token": token}
    )

    assert response["Content-Type"] == "application/pdf"
    assert decode_qr(response.content, tmp_path) == [f"http://testserver/p/{token}/"]


def test_a_replaced_link_prints_no_card(client, world):
    client.force_login(world.trainer.user)
    old = make_link(world.trajectory)
    make_link(world.trajectory)

    response = client.post(
        reverse("trajects:participant_card", args=[world.trajectory.pk]), {"token": old}
    )

    assert response.status_code == 302
