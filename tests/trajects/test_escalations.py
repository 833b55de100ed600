"""Escalations: a coach puts a problem they cannot solve to the project manager, who answers;
the coach sees the answer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EscalationFactory, TrajectoryFactory
from trajects import services
from trajects.models import Escalation, Mail, MailKind
from wpo.services import StepRefused

INVALID = 422


def refusal(step, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as caught:
        step(*args, **kwargs)
    return " ".join(caught.value.messages)


def raise_one(world, **fields):
    values = {
        "department": world.department,
        "subject": "Geen rustige ruimte",
        "description": "De spreekkamer is steeds bezet.",
        "by": world.coach.user,
    }
    return services.raise_escalation(**{**values, **fields})


def answered(escalation, world):
    return services.answer_escalation(
        escalation, answer="Zaal 3 is elke dinsdag voor WPO.", by=world.project_manager.user
    )


# Raising


def test_coach_raises_an_escalation_about_a_participant(world):
    escalation = raise_one(world, trajectory=world.trajectory)

    assert escalation.raised_by == world.coach
    assert escalation.trajectory == world.trajectory
    assert not escalation.is_answered


def test_an_escalation_about_a_participant_of_another_department_is_refused(world):
    message = refusal(raise_one, world, trajectory=world.other_trajectory)

    assert "andere afdeling" in message


def test_an_escalation_needs_a_subject_and_a_description(world):
    assert "kort onderwerp" in refusal(raise_one, world, subject="  ")
    assert "Beschrijf het probleem" in refusal(raise_one, world, description="")


def test_raising_the_same_problem_again_on_purpose_raises_it_again(world):
    # a double post of one form is stored once by its token (tests/wpo/test_idempotency.py)
    raise_one(world)
    raise_one(world)

    assert Escalation.objects.count() == 2


# Answering


def test_the_project_manager_answers_an_escalation(world):
    escalation = answered(raise_one(world), world)

    escalation.refresh_from_db()
    assert escalation.answer == "Zaal 3 is elke dinsdag voor WPO."
    assert escalation.answered_by == world.project_manager
    assert escalation.answered_at is not None


def test_an_escalation_is_answered_once(world):
    escalation = answered(raise_one(world), world)

    message = refusal(
        services.answer_escalation,
        escalation,
        answer="Toch anders",
        by=world.project_manager.user,
    )

    assert "al beantwoord" in message


def test_an_answer_given_again_is_refused_and_the_first_kept(world):
    escalation = answered(raise_one(world), world)
    first_at = Escalation.objects.get().answered_at

    assert "al beantwoord" in refusal(answered, escalation, world)
    assert Escalation.objects.get().answered_at == first_at


def test_the_service_refuses_a_second_answer_whoever_sends_it(world):
    # who may answer is the view's question; an answered escalation stays answered for anyone
    escalation = answered(raise_one(world), world)

    message = refusal(services.answer_escalation, escalation, answer="Anders", by=world.coach.user)

    assert "al beantwoord" in message


def test_an_answer_is_needed(world):
    message = refusal(
        services.answer_escalation, raise_one(world), answer=" ", by=world.project_manager.user
    )

    assert "Schrijf het antwoord" in message


# Pages


def url(name, *args):
    return reverse(f"trajects:{name}", args=args)


def test_coach_raises_an_escalation_from_the_participant_page(client, world):
    client.force_login(world.coach.user)
    page = client.get(url("trajectory", world.trajectory.pk)).content.decode()
    link = f"{url('escalation_new')}?trajectory={world.trajectory.pk}"
    assert link in page

    form = client.get(link).context["form"]
    response = client.post(
        link,
        {
            "department": form["department"].value(),
            "trajectory": form["trajectory"].value(),
            "subject": "Loopt vast",
            "description": "Geen tijd voor de terugkijkopdracht.",
        },
    )

    assert response["Location"] == url("escalations")
    assert Escalation.objects.get().trajectory == world.trajectory


def test_the_trainer_gets_no_escalation_link_on_the_participant_page(client, world):
    client.force_login(world.trainer.user)

    page = client.get(url("trajectory", world.trajectory.pk)).content.decode()

    assert url("escalation_new") not in page


def test_an_escalation_without_description_comes_back_with_what_was_typed(client, world):
    client.force_login(world.coach.user)

    response = client.post(
        url("escalation_new"), {"department": world.department.pk, "subject": "Te druk"}
    )

    assert response.status_code == INVALID
    assert "Te druk" in response.content.decode()
    assert not Escalation.objects.exists()


def test_the_project_manager_answers_and_the_coach_sees_the_answer_marked(client, world):
    escalation = raise_one(world)
    client.force_login(world.project_manager.user)

    response = client.post(
        url("escalation_answer", escalation.pk), {"answer": "Zaal 3 is voor WPO."}
    )

    assert response["Location"] == url("escalations")
    client.force_login(world.coach.user)
    response = client.get(url("escalations"))
    assert list(response.context["answered"]) == [escalation]
    page = response.content.decode()
    assert "Zaal 3 is voor WPO." in page
    assert "beantwoord op" in page


def test_an_empty_answer_comes_back_as_a_message(client, world):
    client.force_login(world.project_manager.user)

    response = client.post(url("escalation_answer", raise_one(world).pk), {"answer": ""})

    assert response.status_code == INVALID
    assert not Escalation.objects.get().is_answered


def test_the_project_manager_sees_open_escalations_oldest_first(client, world):
    older = EscalationFactory(
        raised_by=world.coach,
        department=world.department,
        raised_at=timezone.now() - datetime.timedelta(days=3),
    )
    newer = EscalationFactory(raised_by=world.other_coach, department=world.other_department)
    client.force_login(world.project_manager.user)

    response = client.get(url("escalations"))

    assert list(response.context["open"]) == [older, newer]


@pytest.mark.parametrize(
    "role, links",
    [
        ("trainer", []),
        ("coach", ["Overleggen", "Escalaties"]),
        ("project_manager", ["Overleggen", "Escalaties"]),
    ],
)
def test_the_menu_leads_to_meetings_and_escalations(client, world, role, links):
    client.force_login(world.user(role))

    response = client.get(reverse("assignments:catalogue"))

    menu = response.content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    for name, path in (("Overleggen", url("meetings")), ("Escalaties", url("escalations"))):
        assert (f'href="{path}">{name}</a>' in menu) == (name in links)


def add_escalations(world, count):
    for index in range(count):
        trajectory = TrajectoryFactory(department=world.department, coach=world.coach)
        escalation = raise_one(
            world, subject=f"Probleem {index}", trajectory=trajectory if index % 2 else None
        )
        if index % 3 == 0:
            answered(escalation, world)


def queries_for(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("role", ["coach", "project_manager"])
def test_the_escalations_page_runs_the_same_number_of_queries_for_3_and_30(client, world, role):
    client.force_login(world.user(role))
    add_escalations(world, 3)
    small = queries_for(client, url("escalations"))
    add_escalations(world, 27)
    large = queries_for(client, url("escalations"))

    assert small == large
    assert large <= 10


JUNK = ["", " ", "x", "-1", "9" * 40, "<script>", "\x00", "y" * 5000]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_escalation_forms_never_breaks_a_page(client, world, junk):
    client.force_login(world.coach.user)
    fields = ["department", "trajectory", "subject", "description"]
    raised = client.post(url("escalation_new"), dict.fromkeys(fields, junk))
    client.force_login(world.project_manager.user)
    answer = client.post(url("escalation_answer", raise_one(world).pk), {"answer": junk})

    assert raised.status_code == INVALID
    assert answer.status_code in (302, INVALID)


# Who may: the views answer by access (the services check only the state)


def test_a_trainer_cannot_raise_an_escalation(client, world):
    client.force_login(world.trainer.user)

    response = client.post(url("escalation_new"), {"department": world.department.pk})

    assert response.status_code == 403
    assert not Escalation.objects.exists()


def test_coach_cannot_raise_an_escalation_for_a_department_they_do_not_coach(client, world):
    client.force_login(world.coach.user)
    data = {"department": world.other_department.pk, "subject": "Ruimte", "description": "Bezet"}

    response = client.post(url("escalation_new"), data)

    assert response.status_code == INVALID
    assert not Escalation.objects.exists()


def test_coach_cannot_answer_an_escalation(client, world):
    escalation = raise_one(world)
    client.force_login(world.coach.user)

    response = client.post(url("escalation_answer", escalation.pk), {"answer": "Zelf opgelost"})

    assert response.status_code == 403
    escalation.refresh_from_db()
    assert not escalation.is_answered


# Told both ways, followed up, solved


@pytest.fixture
def addresses(world):
    for person in (world.coach, world.project_manager):
        person.user.email = f"{person.first_name.lower()}@example.nl"
        person.user.save(update_fields=["email"])


def mails(kind):
    return list(Mail.objects.filter(kind=kind).values_list("address", flat=True))


def test_the_project_manager_is_told_of_a_new_escalation_by_email(world, addresses):
    escalation = raise_one(world)

    (row,) = Mail.objects.all()
    assert row.kind == MailKind.ESCALATION
    assert row.address == "pieter@example.nl"
    assert row.subject == "Escalatie: Geen rustige ruimte"
    assert "De spreekkamer is steeds bezet." in row.body
    assert row.escalation == escalation


def test_the_coach_is_told_of_the_answer_by_email(world, addresses):
    answered(raise_one(world), world)

    assert mails(MailKind.ESCALATION_ANSWER) == ["carla@example.nl"]
    assert "Zaal 3 is elke dinsdag voor WPO." in Mail.objects.last().body


def test_a_follow_up_goes_to_the_other_side_and_back_to_the_project_managers_list(world, addresses):
    escalation = answered(raise_one(world), world)
    assert not Escalation.objects.waiting_for_manager().exists()

    services.follow_up_escalation(
        escalation, text="Zaal 3 is dinsdag ook bezet.", by=world.coach.user
    )

    assert mails(MailKind.ESCALATION_MESSAGE) == ["pieter@example.nl"]
    assert list(Escalation.objects.waiting_for_manager()) == [escalation]
    services.follow_up_escalation(
        escalation, text="Dan woensdag, zaal 2.", by=world.project_manager.user
    )
    assert mails(MailKind.ESCALATION_MESSAGE)[-1] == "carla@example.nl"
    assert not Escalation.objects.waiting_for_manager().exists()
    assert [m.text for m in escalation.messages.all()] == [
        "Zaal 3 is dinsdag ook bezet.",
        "Dan woensdag, zaal 2.",
    ]


def test_a_follow_up_comes_after_the_answer(world):
    message = refusal(
        services.follow_up_escalation, raise_one(world), text="En?", by=world.coach.user
    )

    assert "Eerst antwoordt de projectmanager" in message


def test_a_follow_up_needs_words(world):
    escalation = answered(raise_one(world), world)

    message = refusal(services.follow_up_escalation, escalation, text="  ", by=world.coach.user)

    assert "Schrijf je bericht" in message


def test_a_solved_escalation_keeps_its_thread_and_takes_no_more(world, addresses):
    escalation = answered(raise_one(world), world)
    services.follow_up_escalation(escalation, text="Werkt, dank je.", by=world.coach.user)

    services.solve_escalation(escalation, by=world.coach.user)

    escalation.refresh_from_db()
    assert escalation.is_solved
    assert escalation.solved_by == world.coach
    assert escalation.messages.count() == 1
    assert mails(MailKind.ESCALATION_SOLVED) == ["pieter@example.nl"]
    assert "opgelost" in refusal(
        services.follow_up_escalation, escalation, text="Nog iets", by=world.coach.user
    )
    assert "opgelost" in refusal(services.solve_escalation, escalation, by=world.coach.user)
    assert not Escalation.objects.waiting_for_manager().exists()


def test_the_project_managers_home_counts_the_escalations_waiting_for_an_answer(client, world):
    raise_one(world)
    answered(raise_one(world, subject="Al beantwoord"), world)
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation"))

    assert response.context["escalations_waiting"] == 1
    page = response.content.decode()
    assert "escalatie wacht op je antwoord" in page
    assert url("escalations") in page


def test_the_coach_follows_up_and_marks_it_solved_on_the_page(client, world):
    escalation = answered(raise_one(world), world)
    client.force_login(world.coach.user)

    response = client.post(url("escalation_follow_up", escalation.pk), {"text": "Bedankt!"})
    assert response["Location"] == url("escalation", escalation.pk)
    response = client.post(url("escalation_solve", escalation.pk))
    assert response["Location"] == url("escalation", escalation.pk)

    page = client.get(url("escalation", escalation.pk)).content.decode()
    assert "Bedankt!" in page
    assert "Opgelost op" in page
    assert url("escalation_follow_up", escalation.pk) not in page


def test_an_empty_follow_up_comes_back_as_a_message(client, world):
    escalation = answered(raise_one(world), world)
    client.force_login(world.coach.user)

    response = client.post(url("escalation_follow_up", escalation.pk), {"text": ""})

    assert response.status_code == INVALID
    assert not escalation.messages.exists()


def test_another_departments_coach_cannot_follow_up(client, world):
    escalation = answered(raise_one(world), world)
    client.force_login(world.other_coach.user)

    response = client.post(url("escalation_follow_up", escalation.pk), {"text": "Ik ook"})

    assert response.status_code == 404
