"""The participant's own part, without a browser: the personal link, their words, their
confirmation of a conversation."""

import hashlib

import pytest
from django.test import RequestFactory
from django.utils import timezone

from assignments.pictograms import Feeling
from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    ParticipantWordsFactory,
    TrajectoryFactory,
)
from trajects import privacy
from trajects.models import LinkMiss, ParticipantLink, ParticipantWords, WordsKind
from trajects.services import participant as services
from wpo.services import StepRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress():
    return AssignmentProgressFactory()


@pytest.fixture
def trajectory(progress):
    return progress.trajectory_skill.trajectory


def request():
    return RequestFactory().get("/p/x/", REMOTE_ADDR="192.0.2.7")


def test_a_link_keeps_only_the_hash_of_its_token(trajectory):
    token = services.make_link(trajectory)

    link = ParticipantLink.objects.get(trajectory=trajectory)
    assert len(token) >= 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_hash


def test_the_link_opens_its_trajectory(trajectory):
    token = services.make_link(trajectory)

    assert services.open_link(request(), token).trajectory == trajectory


def test_a_new_link_ends_the_old_one(trajectory):
    old = services.make_link(trajectory)
    new = services.make_link(trajectory)

    assert services.open_link(request(), old) is None
    assert services.open_link(request(), new) is not None


def test_a_link_ends_with_its_trajectory(trajectory):
    token = services.make_link(trajectory)
    trajectory.stopped_on, trajectory.stop_reason = timezone.localdate(), "Verhuisd"
    trajectory.save()

    assert services.open_link(request(), token) is None


def test_an_ended_trajectory_gets_no_new_link(trajectory):
    trajectory.stopped_on, trajectory.stop_reason = timezone.localdate(), "Verhuisd"
    trajectory.save()

    with pytest.raises(StepRefused):
        services.make_link(trajectory)


def test_a_link_that_does_not_work_counts_towards_guessing(settings, trajectory):
    settings.WPO_LINK_MISSES_PER_HOUR = 2
    services.open_link(request(), "guessed")
    assert not services.guessing.too_many(request())

    services.open_link(request(), "guessed-again")

    assert LinkMiss.objects.count() == 2
    assert services.guessing.too_many(request())


def test_an_answer_is_kept_with_its_question(trajectory, progress):
    words = services.write_words(
        trajectory, WordsKind.ANSWER, " Ik vraag Ans. ", progress=progress, question=2
    )

    assert (words.progress, words.question, words.text) == (progress, 2, "Ik vraag Ans.")


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_answer_is_refused(trajectory, progress, text):
    with pytest.raises(StepRefused, match="Schrijf eerst iets op"):
        services.write_words(trajectory, WordsKind.ANSWER, text, progress=progress, question=1)


def test_a_very_long_answer_is_refused(trajectory, progress):
    with pytest.raises(StepRefused, match="te lang"):
        services.write_words(
            trajectory, WordsKind.ANSWER, "a" * 2001, progress=progress, question=1
        )


def test_emoji_and_pasted_html_are_kept_as_typed(trajectory):
    text = "Goed gedaan 👍 <script>alert(1)</script>"

    words = services.write_words(trajectory, WordsKind.QUESTION, text)

    assert words.text == text


def test_a_question_the_assignment_does_not_ask_is_refused(trajectory, progress):
    with pytest.raises(StepRefused, match="hoort niet bij je opdracht"):
        services.write_words(trajectory, WordsKind.ANSWER, "Ja", progress=progress, question=9)


def test_another_participants_assignment_is_refused(trajectory):
    other = AssignmentProgressFactory()

    with pytest.raises(StepRefused, match="niet van jou"):
        services.write_words(trajectory, WordsKind.LOOK_BACK, "Goed", progress=other)


def test_a_double_tap_saves_once(trajectory):
    first = services.write_words(trajectory, WordsKind.WISH, "Samenwerken", version=None)
    again = services.write_words(trajectory, WordsKind.WISH, "Samenwerken", version=None)

    assert again.pk == first.pk
    assert first.history.count() == 1


def test_a_second_device_sees_what_the_first_saved(trajectory):
    words = services.write_words(trajectory, WordsKind.WISH, "Samenwerken")
    services.write_words(trajectory, WordsKind.WISH, "Plannen", version=words.version)

    with pytest.raises(services.OtherDevice) as refused:
        services.write_words(trajectory, WordsKind.WISH, "Rust", version=words.version)

    assert refused.value.saved.text == "Plannen"


def test_every_version_is_kept(trajectory):
    words = services.write_words(trajectory, WordsKind.WISH, "Samenwerken")
    services.write_words(trajectory, WordsKind.WISH, "Plannen", version=words.version)

    kept = ParticipantWords.history.filter(id=words.pk).values_list("text", flat=True)
    assert sorted(kept) == ["Plannen", "Samenwerken"]


def test_a_face_alone_answers_how_it_went(trajectory, progress):
    words = services.write_words(
        trajectory, WordsKind.LOOK_BACK, "  ", progress=progress, feeling=Feeling.SO_SO
    )

    assert (words.feeling, words.text) == ("so-so", "")


def test_a_face_and_words_are_kept_together(trajectory, progress):
    services.write_words(trajectory, WordsKind.LOOK_BACK, "Eng", progress=progress, feeling="hard")
    words = services.write_words(
        trajectory, WordsKind.LOOK_BACK, "Eng", progress=progress, feeling="good"
    )

    assert (words.feeling, words.text) == ("good", "Eng")
    kept = ParticipantWords.history.filter(id=words.pk).values_list("feeling", flat=True)
    assert sorted(kept) == ["good", "hard"]


def test_no_face_and_no_words_is_no_answer(trajectory, progress):
    with pytest.raises(StepRefused, match="Schrijf eerst iets op"):
        services.write_words(trajectory, WordsKind.LOOK_BACK, "", progress=progress)


def test_only_how_it_went_takes_a_face(trajectory):
    with pytest.raises(StepRefused, match="Kies een van de gezichten"):
        services.write_words(trajectory, WordsKind.QUESTION, "", feeling="good")


def test_an_ended_trajectory_takes_no_words(trajectory):
    trajectory.stopped_on, trajectory.stop_reason = timezone.localdate(), "Verhuisd"
    trajectory.save()

    with pytest.raises(StepRefused, match="werkt niet meer"):
        services.write_words(trajectory, WordsKind.WISH, "Samenwerken")


def test_the_participant_confirms_a_held_conversation_on_their_own_page(trajectory):
    held = GuidanceConversationFactory(trajectory=trajectory, held_at=timezone.now())

    services.confirm_on_own_page(trajectory, held)

    held.refresh_from_db()
    assert held.participant_confirmed_at is not None
    assert held.confirmed_on_own_page
    assert held.participant_initials == ""


def test_a_planned_conversation_cannot_be_confirmed(trajectory):
    planned = GuidanceConversationFactory(trajectory=trajectory)

    with pytest.raises(StepRefused, match="nog niet geweest"):
        services.confirm_on_own_page(trajectory, planned)


def test_another_participants_conversation_cannot_be_confirmed(trajectory):
    other = GuidanceConversationFactory(held_at=timezone.now())

    with pytest.raises(StepRefused, match="niet van jou"):
        services.confirm_on_own_page(trajectory, other)


def test_the_avg_export_holds_the_participants_words(trajectory):
    ParticipantWordsFactory(progress__trajectory_skill__trajectory=trajectory, text="Mijn antwoord")

    exported = privacy.export(trajectory.participant)

    words = exported["trajectories"][0]["own_words"]
    assert [row["words"] for row in words] == ["Mijn antwoord"]
    sections = dict(privacy.readable(exported))
    assert "Wat de deelnemer zelf schreef" in str(sections)


def test_the_avg_export_holds_the_face_they_chose(trajectory, progress):
    services.write_words(trajectory, WordsKind.LOOK_BACK, "", progress=progress, feeling="hard")

    exported = privacy.export(trajectory.participant)

    assert exported["trajectories"][0]["own_words"][0]["how_it_went"] == "moeilijk"


def test_anonymising_clears_the_words_and_their_versions_and_ends_the_link(trajectory):
    words = services.write_words(trajectory, WordsKind.WISH, "Samenwerken")
    services.write_words(trajectory, WordsKind.WISH, "Plannen", version=words.version)
    services.make_link(trajectory)
    trajectory.stopped_on, trajectory.stop_reason = timezone.localdate(), "Verhuisd"
    trajectory.save()

    privacy.anonymise(trajectory.participant)

    assert ParticipantWords.objects.get().text == privacy.REMOVED
    assert not ParticipantWords.history.filter(text__in=["Samenwerken", "Plannen"]).exists()
    assert not ParticipantLink.objects.exists()


def test_other_trajectories_are_untouched_by_the_words(trajectory):
    other = TrajectoryFactory()
    services.write_words(trajectory, WordsKind.WISH, "Samenwerken")

    assert not other.words.exists()
