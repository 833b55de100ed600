"""A form posted twice is carried out once: a double tap, a retried post or two posts at the same
moment with one form's token store one record, and the repeat gets the first answer."""

import datetime
import re
import threading
import time

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from assignments.models import Level
from tests.conftest import open_personal_link
from tests.factories import (
    AssignmentFactory,
    AssignmentProgressFactory,
    EscalationFactory,
    GuidanceConversationFactory,
    InterestFactory,
    SubmissionFactory,
    TrajectorySkillFactory,
)
from tests.wpo.test_access_matrix import MATRIX
from trajects import services
from trajects.models import (
    AssignmentProgress,
    Escalation,
    FloorNote,
    GuidanceConversation,
    Interest,
    Meeting,
    ParticipantWords,
    Pause,
    ProgressStatus,
    Trajectory,
)
from trajects.services.participant import make_link
from trajects.views import trainer as trainer_views
from wpo import idempotency
from wpo.forms import DATETIME_FORMAT
from wpo.idempotency import KEPT_FOR, TOKEN_FIELD
from wpo.models import Submission

HTMX = {"HTTP_HX_REQUEST": "true"}
TOKEN = re.compile(rf'name="{TOKEN_FIELD}" value="([^"]+)"')
NOT_FORMS = {
    # Django's and django-otp's own
    "logout",
    "set_language",
    "two_factor",
    "password_reset",
    "password_reset_confirm",
    # "Klaar" forgets the participant on this device: pressed again there is nothing to forget
    "trajects:mine_done",
    # the answer shows the link's secret once: a kept answer would keep the secret; a double
    # tap makes a second link, and the page shows that one
    "trajects:participant_link",
    "trajects:participant_card",
    # stores nothing when small (the answer is the PDF, too large to keep as an answer); a large
    # one asked for twice within a minute is the same job (trajects.services.reports)
    "trajects:organisation_pdf",
}


def token_in(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def note_url(world):
    return reverse("trajects:add_note", args=[world.trajectory.pk])


@pytest.fixture
def trainer(client, world):
    client.force_login(world.trainer.user)
    return client


def test_every_form_of_the_app_is_carried_out_once_per_token():
    views = {}

    def collect(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                collect(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                views[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    collect(get_resolver().url_patterns)
    takes_posts = [name for name, (method, _, _) in MATRIX.items() if method in ("form", "post")]

    missing = [
        name
        for name in takes_posts
        if name not in NOT_FORMS and not getattr(views[name].callback, "idempotent", False)
    ]

    assert missing == []


def test_the_note_form_carries_a_token(trainer, world):
    page = trainer.get(reverse("trajects:trajectory", args=[world.trajectory.pk]))

    assert token_in(page)


def test_a_note_posted_twice_is_stored_once_and_both_get_the_same_answer(trainer, world):
    data = {"text": "Vroeg zelf om uitleg.", TOKEN_FIELD: "tap-1"}

    first = trainer.post(note_url(world), data, **HTMX)
    second = trainer.post(note_url(world), data, **HTMX)

    assert FloorNote.objects.count() == 1
    assert (second.status_code, second.content) == (first.status_code, first.content)


@pytest.mark.django_db(transaction=True)
def test_a_saves_answer_is_drawn_after_its_transaction_committed(trainer, world, monkeypatch):
    """Reading and rendering the participant page's parts does not hold the write lock."""
    drawn_in_transaction = []
    draw = trainer_views.render_to_string

    def watched(*args, **kwargs):
        drawn_in_transaction.append(connection.in_atomic_block)
        return draw(*args, **kwargs)

    monkeypatch.setattr(trainer_views, "render_to_string", watched)

    trainer.post(note_url(world), {"text": "Werkt netjes.", TOKEN_FIELD: "tap-1"}, **HTMX)

    assert drawn_in_transaction
    assert not any(drawn_in_transaction)


def test_a_repeat_of_a_save_whose_answer_was_never_drawn_shows_the_page_again(world, monkeypatch):
    """The worker died (or failed) after the note was stored, before its answer was: the repeat
    is not carried out again, and reloads the page, which shows the note."""
    trainer = Client(raise_request_exception=False)
    trainer.force_login(world.trainer.user)
    data = {"text": "Vroeg zelf om uitleg.", TOKEN_FIELD: "tap-1"}
    with monkeypatch.context() as broken:
        broken.setattr(trainer_views, "render_to_string", None)
        failed = trainer.post(note_url(world), data, **HTMX)

    repeat = trainer.post(note_url(world), data, **HTMX)

    assert failed.status_code == 500
    assert FloorNote.objects.count() == 1
    assert (repeat.status_code, repeat["HX-Refresh"]) == (200, "true")


def test_the_same_note_written_again_on_the_next_form_is_stored_again(trainer, world):
    """Only the token tells a double post from a second note: the words may be the same."""
    saved = trainer.post(note_url(world), {"text": "Goed.", TOKEN_FIELD: "tap-1"}, **HTMX)

    trainer.post(note_url(world), {"text": "Goed.", TOKEN_FIELD: token_in(saved)}, **HTMX)

    assert FloorNote.objects.filter(text="Goed.").count() == 2


def test_the_form_after_a_save_carries_a_fresh_token(trainer, world):
    saved = trainer.post(note_url(world), {"text": "Eerste.", TOKEN_FIELD: "tap-1"}, **HTMX)

    trainer.post(note_url(world), {"text": "Tweede.", TOKEN_FIELD: token_in(saved)}, **HTMX)

    assert token_in(saved) != "tap-1"
    assert FloorNote.objects.count() == 2


def test_a_repeated_step_gets_the_first_answer_instead_of_a_refusal(trainer, world):
    progress = AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)
    url = reverse("trajects:get_started", args=[progress.pk])

    first = trainer.post(url, {TOKEN_FIELD: "tap-1"})
    second = trainer.post(url, {TOKEN_FIELD: "tap-1"})

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_refused_post_can_be_corrected_and_sent_with_the_same_token(trainer, world):
    refused = trainer.post(note_url(world), {"text": " ", TOKEN_FIELD: "tap-1"}, **HTMX)
    saved = trainer.post(note_url(world), {"text": "Nu wel.", TOKEN_FIELD: "tap-1"}, **HTMX)
    again = trainer.post(note_url(world), {"text": "Nu wel.", TOKEN_FIELD: "tap-1"}, **HTMX)

    assert refused.status_code == 422
    assert saved.status_code == again.status_code == 200
    assert FloorNote.objects.count() == 1


def test_a_post_without_a_token_still_saves(trainer, world):
    response = trainer.post(note_url(world), {"text": "Van een oude pagina."})

    assert response.status_code == 302
    assert FloorNote.objects.count() == 1
    assert not Submission.objects.exists()


def test_a_token_counts_only_for_the_login_that_posted_it(client, world):
    for person in (world.trainer, world.coach):
        client.force_login(person.user)
        client.post(note_url(world), {"text": f"Van {person}.", TOKEN_FIELD: "same"})

    assert FloorNote.objects.count() == 2


def test_a_note_sent_again_from_the_outbox_after_a_new_login_is_stored_once(client, world):
    """The phone's outbox sends a save again with its token, under the login (and CSRF token)
    in force by then: the save that did arrive before is answered, not stored again."""
    client = Client(enforce_csrf_checks=True)
    data = {"text": "Geschreven in de kas.", TOKEN_FIELD: "outbox-1"}
    answers = []
    for _login in range(2):
        client.force_login(world.trainer.user)
        client.get(reverse("trajects:trajectory", args=[world.trajectory.pk]))  # a CSRF cookie
        csrf = client.cookies["csrftoken"].value
        answers.append(client.post(note_url(world), data, HTTP_X_CSRFTOKEN=csrf, **HTMX))
        client.logout()

    assert [answer.status_code for answer in answers] == [200, 200]
    assert FloorNote.objects.filter(text="Geschreven in de kas.").count() == 1


def test_a_post_out_of_scope_claims_no_token(client, world):
    client.force_login(world.other_trainer.user)

    response = client.post(note_url(world), {"text": "Niet van mij.", TOKEN_FIELD: "tap-1"})

    assert response.status_code == 404
    assert not Submission.objects.exists()


def expired_answer(world, token):
    old = SubmissionFactory(user=world.trainer.user, token=token)
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - KEPT_FOR - datetime.timedelta(minutes=1)
    )
    return old


def test_a_token_whose_answer_expired_is_carried_out_again(trainer, world, monkeypatch):
    monkeypatch.setattr(idempotency, "_pruned_at", time.monotonic())  # pruned a moment ago
    old = expired_answer(world, "tap-1")

    trainer.post(note_url(world), {"text": "Een dag later.", TOKEN_FIELD: "tap-1"})

    assert FloorNote.objects.count() == 1
    assert not Submission.objects.filter(pk=old.pk).exists()


def test_stored_answers_are_removed_after_a_day(trainer, world, monkeypatch):
    monkeypatch.setattr(idempotency, "_pruned_at", time.monotonic() - 61)
    old = expired_answer(world, "tap-1")

    trainer.post(note_url(world), {"text": "Iets anders.", TOKEN_FIELD: "tap-2"})

    assert not Submission.objects.filter(pk=old.pk).exists()


def test_expired_answers_are_removed_once_a_minute_not_at_every_post(trainer, world, monkeypatch):
    """Each removal takes SQLite's write lock: phones saving at once would queue twice."""
    monkeypatch.setattr(idempotency, "_pruned_at", time.monotonic() - 30)
    old = expired_answer(world, "tap-1")

    trainer.post(note_url(world), {"text": "Iets anders.", TOKEN_FIELD: "tap-2"})

    assert Submission.objects.filter(pk=old.pk).exists()


def moment(days):
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime(DATETIME_FORMAT)


def today():
    return timezone.localdate().isoformat()


# url name, url arguments, data, what is counted: each with the world's trainer or coach
CREATES = {
    "interest_new": (
        lambda w: [],
        lambda w: {
            "department": w.department.pk,
            "first_name": "Sem",
            "last_name": "Bakker",
            "registered_on": today(),
        },
        Interest,
    ),
    "trajectory_start": (
        lambda w: [InterestFactory(person__department=w.department, department=w.department).pk],
        lambda w: {
            "trainer": w.trainer.pk,
            "coach": w.coach.pk,
            "agreed_start": today(),
            "agreed_end": (timezone.localdate() + datetime.timedelta(days=180)).isoformat(),
        },
        Trajectory,
    ),
    "plan_conversation": (
        lambda w: [w.trajectory.pk],
        lambda w: {"planned_at": moment(3)},
        GuidanceConversation,
    ),
    "hold_conversation": (
        lambda w: [w.trajectory.pk],
        lambda w: {
            "held_at": timezone.localtime().replace(hour=0, minute=0).strftime(DATETIME_FORMAT),
            "participant_account": "Ik deed het zelf.",
            "trainer_observations": "Ik zag het.",
        },
        GuidanceConversation,
    ),
    "introduce": (
        lambda w: [TrajectorySkillFactory(trajectory=w.trajectory, target_level=Level.B).pk],
        lambda w: {
            "assignment": AssignmentFactory(
                skill=w.trajectory.skills.get().skill, level=Level.A
            ).pk,
            "introduced_on": today(),
        },
        AssignmentProgress,
    ),
    "trajectory_step": (
        lambda w: [w.trajectory.pk, "pause"],
        lambda w: {
            "starts_on": today(),
            "resume_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "reason": "Ziek.",
        },
        Pause,
    ),
    "meeting_plan": (
        lambda w: ["department_visit"],
        lambda w: {"scheduled_at": moment(5), "departments": [w.department.pk]},
        Meeting,
    ),
    "escalation_new": (
        lambda w: [],
        lambda w: {"department": w.department.pk, "subject": "Rooster", "description": "Te vol."},
        Escalation,
    ),
}


@pytest.mark.parametrize("name", CREATES)
def test_a_create_form_posted_twice_stores_one_record_and_answers_alike(client, world, name):
    arguments, data, model = CREATES[name]
    client.force_login(
        world.coach.user if name.startswith(("meeting", "escalation")) else world.trainer.user
    )
    url = reverse(f"trajects:{name}", args=arguments(world))
    posted = data(world) | {TOKEN_FIELD: "tap-1"}
    before = model.objects.count()

    first = client.post(url, posted)
    second = client.post(url, posted)

    assert first.status_code == 302, re.findall(
        r'class="(?:field-)?error[^>]*>(.*?)<', first.content.decode(), re.S
    )
    assert model.objects.count() == before + 1
    assert (second.status_code, second["Location"]) == (first.status_code, first["Location"])


def test_an_answer_sent_twice_is_sent_once(client, world):
    escalation = EscalationFactory(raised_by=world.coach, department=world.department)
    client.force_login(world.project_manager.user)
    url = reverse("trajects:escalation_answer", args=[escalation.pk])

    first = client.post(url, {"answer": "Ik bel de bedrijfsleider.", TOKEN_FIELD: "tap-1"})
    second = client.post(url, {"answer": "Ik bel de bedrijfsleider.", TOKEN_FIELD: "tap-1"})

    assert first.status_code == second.status_code == 302
    assert Escalation.objects.get().answer == "Ik bel de bedrijfsleider."


# Two posts at the same moment: each thread has its own connection, so the database decides.


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_token_at_the_same_moment_store_one_record(world, monkeypatch):
    progress = AssignmentProgressFactory(
        trajectory_skill__trajectory=world.trajectory, status=ProgressStatus.INTRODUCED
    )
    url = reverse("trajects:get_started", args=[progress.pk])
    inside, calls, answers = threading.Event(), [], []
    record = services.record_get_started

    def slow_step(*args, **kwargs):
        calls.append(1)
        inside.set()
        threading.Event().wait(0.5)  # the second post arrives while the first is at work
        return record(*args, **kwargs)

    monkeypatch.setattr(services, "record_get_started", slow_step)

    def post():
        phone = Client()
        phone.force_login(world.trainer.user)
        answers.append(phone.post(url, {TOKEN_FIELD: "tap-1"}))
        connection.close()  # this thread's own connection

    first = threading.Thread(target=post)
    first.start()
    inside.wait(5)
    second = threading.Thread(target=post)
    second.start()
    first.join()
    second.join()

    assert len(calls) == 1
    assert [answer.status_code for answer in answers] == [302, 302]
    assert Submission.objects.count() == 1


# The participant has no login: on their own pages the token is kept for their session.


@pytest.fixture
def participant(client, world):
    open_personal_link(client, world.trajectory)
    return client


@pytest.fixture
def progress(world):
    return AssignmentProgressFactory(trajectory_skill__trajectory=world.trajectory)


def answer_url(progress):
    return reverse("trajects:mine_answer", args=[progress.pk, 1])


def test_the_participants_forms_carry_a_token(participant, world, progress):
    GuidanceConversationFactory(trajectory=world.trajectory, held_at=timezone.now())
    mine = participant.get(reverse("trajects:mine")).content.decode()
    assignment = participant.get(reverse("trajects:mine_assignment", args=[progress.pk]))

    assert len(TOKEN.findall(mine)) == 2  # the question for the trainer, "Besproken met mij"
    assert len(TOKEN.findall(assignment.content.decode())) == 1 + len(
        progress.assignment.question_list
    )


def test_a_participants_answer_posted_twice_is_stored_once_and_answered_alike(
    participant, progress
):
    data = {"q1-text": "Ik vraag het aan Ans.", "q1-version": "", TOKEN_FIELD: "tap-1"}

    first = participant.post(answer_url(progress), data)
    second = participant.post(answer_url(progress), data)

    assert (second.status_code, second["Location"]) == (first.status_code, first["Location"])
    assert ParticipantWords.objects.get().text == "Ik vraag het aan Ans."
    assert Submission.objects.get().user is None


def test_a_double_tap_on_save_says_saved_once(participant, progress):
    data = {"q1-text": "Ik vraag het aan Ans.", TOKEN_FIELD: "tap-1"}
    participant.post(answer_url(progress), data)
    participant.post(answer_url(progress), data)

    page = participant.get(reverse("trajects:mine_assignment", args=[progress.pk]))

    assert page.content.decode().count("Bewaard. Je opleider kan het nu lezen.") == 1


def test_an_answer_sent_again_after_another_screen_saved_gets_its_first_answer(
    participant, progress
):
    """The phone resends its post after the tablet saved newer words: no "you also wrote
    this on another screen" for words this phone saved itself, and the newer words stay."""
    sent = {"q1-text": "Op mijn telefoon.", "q1-version": "", TOKEN_FIELD: "phone-1"}
    first = participant.post(answer_url(progress), sent)
    words = ParticipantWords.objects.get()
    participant.post(
        answer_url(progress),
        {"q1-text": "Op de tablet.", "q1-version": words.version, TOKEN_FIELD: "tablet-1"},
    )

    again = participant.post(answer_url(progress), sent)

    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert ParticipantWords.objects.get().text == "Op de tablet."


def test_a_double_tap_on_discussed_with_me_thanks_once(participant, world):
    held = GuidanceConversationFactory(trajectory=world.trajectory, held_at=timezone.now())
    url = reverse("trajects:mine_confirm", args=[held.pk])

    first = participant.post(url, {TOKEN_FIELD: "tap-1"})
    second = participant.post(url, {TOKEN_FIELD: "tap-1"})

    assert first.status_code == second.status_code == 302
    page = participant.get(reverse("trajects:mine")).content.decode()
    assert page.count("Dank je. Je opleider ziet dat je het eens bent.") == 1


@pytest.mark.parametrize("kind", ["wish", "question"])
def test_what_the_participant_writes_on_their_page_is_stored_once(participant, kind):
    url = reverse("trajects:mine_write", args=[kind])
    data = {f"{kind}-text": "Beter plannen.", TOKEN_FIELD: "tap-1"}

    first = participant.post(url, data)
    second = participant.post(url, data)

    assert first.status_code == second.status_code == 302
    assert ParticipantWords.objects.count() == Submission.objects.count() == 1


def test_the_look_back_posted_twice_is_stored_once(participant, progress):
    url = reverse("trajects:mine_look_back", args=[progress.pk])
    data = {"lb-feeling": "good", "lb-text": "Ging goed.", TOKEN_FIELD: "tap-1"}

    first = participant.post(url, data)
    second = participant.post(url, data)

    assert first.status_code == second.status_code == 302
    assert ParticipantWords.objects.count() == Submission.objects.count() == 1


def test_a_token_counts_only_for_the_session_that_posted_it(world, progress):
    """The same link open on a phone and a tablet: two sessions, each its own tokens."""
    token = make_link(world.trajectory)
    for text in ("Van de telefoon.", "Van de tablet."):
        device = Client()
        device.get(reverse("trajects:participant_open", args=[token]))
        device.post(answer_url(progress), {"q1-text": text, TOKEN_FIELD: "same"})

    assert ParticipantWords.objects.get().text == "Van de tablet."
    assert Submission.objects.count() == 2


def test_a_post_after_the_link_was_replaced_claims_no_token(participant, world, progress):
    make_link(world.trajectory)

    response = participant.post(answer_url(progress), {"q1-text": "Te laat.", TOKEN_FIELD: "t"})

    assert response.status_code == 404
    assert not Submission.objects.exists()
    assert not ParticipantWords.objects.exists()


def test_a_refused_answer_can_be_corrected_and_sent_with_the_same_token(participant, progress):
    refused = participant.post(answer_url(progress), {"q1-text": " ", TOKEN_FIELD: "tap-1"})
    saved = participant.post(answer_url(progress), {"q1-text": "Nu wel.", TOKEN_FIELD: "tap-1"})

    assert (refused.status_code, saved.status_code) == (422, 302)
    assert ParticipantWords.objects.get().text == "Nu wel."


@pytest.mark.parametrize(
    "poster", [{"user": None, "session": ""}, {"session": "a-session"}], ids=["none", "both"]
)
def test_a_stored_answer_belongs_to_a_login_or_a_session(world, poster):
    with pytest.raises(IntegrityError):
        SubmissionFactory(**poster)
