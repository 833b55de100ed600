"""The Monday e-mail: each trainer what needs doing for their own participants this week, each
coach the signals of the departments they coach; nobody gets an empty one."""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    AssignmentProgressFactory,
    GuidanceConversationFactory,
    PauseFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
    staff_member,
)
from trajects import mail as queue
from trajects.models import Mail, ProgressStatus, SentReminder
from wpo.models import Role, ScheduledRun

SITE = "https://wpo.example.nl"


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def give_addresses(*people):
    for person in people:
        person.user.email = f"{person.user.username}@example.nl"
        person.user.save()


@pytest.fixture
def world(world):
    """The access world, every login with an e-mail address."""
    colleague = world.colleague_trajectory.trainer
    give_addresses(world.trainer, world.other_trainer, world.coach, world.other_coach, colleague)
    return world


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", "--site-url", SITE, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def deliver_all():
    """What the worker does with the e-mails waiting."""
    for pk in Mail.objects.unsent().values_list("pk", flat=True):
        queue.deliver.call(pk)


def send(*args) -> str:
    output = run(*args)
    deliver_all()
    return output


def mails_to(person) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [person.user.email]]


def the_mail_to(person) -> str:
    (message,) = mails_to(person)
    return message.body


def on_track(trajectory):
    """Skills chosen, the get-started task done, the look-back and the next conversation more
    than a week away: nothing to do this week."""
    chosen = TrajectorySkillFactory(trajectory=trajectory)
    AssignmentProgressFactory(
        trajectory_skill=chosen,
        status=ProgressStatus.WORKING,
        introduced_on=days_from_today(-10),
        get_started_on=days_from_today(-3),
        look_back_due_on=days_from_today(10),
    )
    GuidanceConversationFactory(
        trajectory=trajectory, planned_at=timezone.now() + datetime.timedelta(days=10)
    )
    GuidanceConversationFactory(
        trajectory=trajectory, planned_at=None, held_at=timezone.now() - datetime.timedelta(days=3)
    )


def late_look_back(trajectory, days=10):
    return AssignmentProgressFactory(
        trajectory_skill=TrajectorySkillFactory(trajectory=trajectory),
        status=ProgressStatus.WORKING,
        introduced_on=days_from_today(-days - 14),
        get_started_on=days_from_today(-days - 7),
        look_back_due_on=days_from_today(-days),
    )


def test_a_trainer_with_a_conversation_this_week_gets_one_mail_naming_the_participant(world):
    on_track(world.trajectory)
    GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=timezone.now() + datetime.timedelta(days=2)
    )

    send()

    body = the_mail_to(world.trainer)
    assert "Begeleidingsgesprekken in de komende zeven dagen" in body
    assert world.trajectory.participant.full_name in body
    assert mails_to(world.trainer)[0].subject == "WPO: jouw week"


def test_a_trainer_with_nothing_to_do_this_week_gets_no_mail(world):
    on_track(world.trajectory)

    send()

    assert mails_to(world.trainer) == []


def test_a_trainer_reads_what_needs_doing_in_dutch_with_a_link(world):
    late_look_back(world.trajectory)

    send()

    body = the_mail_to(world.trainer)
    assert "terugkijken op de aan-de-slag-opdracht" in body
    assert f"{SITE}/trajectories/{world.trajectory.pk}/" in body


def test_a_look_back_due_later_this_week_is_announced(world):
    on_track(world.trajectory)
    AssignmentProgressFactory(
        trajectory_skill=TrajectorySkillFactory(trajectory=world.trajectory),
        get_started_on=days_from_today(-4),
        look_back_due_on=days_from_today(3),
    )

    send()

    assert "aan-de-slag-opdracht op" in the_mail_to(world.trainer)


def test_an_overdue_conversation_is_to_be_recorded(world):
    on_track(world.trajectory)
    GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=timezone.now() - datetime.timedelta(days=2)
    )

    send()

    assert "vastleggen" in the_mail_to(world.trainer)


def test_a_trainer_never_reads_another_trainers_participant(world):
    late_look_back(world.trajectory)
    for trajectory in (world.colleague_trajectory, world.other_trajectory):
        GuidanceConversationFactory(
            trajectory=trajectory, planned_at=timezone.now() + datetime.timedelta(days=1)
        )

    send()

    body = the_mail_to(world.trainer)
    assert world.colleague_trajectory.participant.full_name not in body
    assert world.other_trajectory.participant.full_name not in body
    assert world.colleague_trajectory.participant.full_name in the_mail_to(
        world.colleague_trajectory.trainer
    )


def test_a_paused_trajectory_is_not_nagged_about(world):
    late_look_back(world.trajectory)
    GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=timezone.now() + datetime.timedelta(days=1)
    )
    PauseFactory(trajectory=world.trajectory, resume_on=days_from_today(14))

    send()

    assert mails_to(world.trainer) == []


def test_a_trainer_without_an_address_gets_nothing(world):
    late_look_back(world.trajectory)
    world.trainer.user.email = ""
    world.trainer.user.save()

    send()

    assert mails_to(world.trainer) == []


def test_a_coach_reads_a_red_signals_reason_in_dutch(world):
    late_look_back(world.trajectory, days=10)

    send()

    body = the_mail_to(world.coach)
    assert "✖ nu actie nodig: terugkijkopdracht 1 week en 3 dagen te laat" in body
    assert world.trajectory.participant.full_name in body
    assert mails_to(world.coach)[0].subject == "WPO: signalen in je afdelingen"


def test_a_coach_reads_red_before_orange(world):
    late_look_back(world.trajectory, days=10)
    late_look_back(world.colleague_trajectory, days=3)

    send()

    body = the_mail_to(world.coach)
    assert body.index(world.trajectory.participant.full_name) < body.index(
        world.colleague_trajectory.participant.full_name
    )


def test_a_coach_never_reads_another_departments_participant(world):
    late_look_back(world.trajectory)

    send()

    assert world.trajectory.participant.full_name not in the_mail_to(world.other_coach)


def test_a_coach_without_signals_gets_no_mail(world):
    on_track(world.other_trajectory)

    send()

    assert mails_to(world.other_coach) == []


def test_a_dry_run_sends_nothing_and_shows_what_it_would(world):
    late_look_back(world.trajectory)

    out = send("--dry-run")

    assert mail.outbox == []
    assert f"To: {world.trainer.user.email}" in out
    assert "terugkijkopdracht 1 week en 3 dagen te laat" in out
    assert out.splitlines()[-1] == "3 e-mail(s) to trainers, 2 to coaches would be sent."


def test_the_summary_counts_what_went(world):
    late_look_back(world.trajectory)

    out = send()

    assert len(mail.outbox) == 5
    assert out.splitlines()[-1] == "3 e-mail(s) to trainers, 2 to coaches sent."


def test_without_a_site_url_the_mails_go_without_links_and_it_says_so(world, settings):
    settings.WPO_SITE_URL = ""
    late_look_back(world.trajectory)
    err = StringIO()

    call_command("send_reminders", stdout=StringIO(), stderr=err)
    deliver_all()

    assert "WPO_SITE_URL" in err.getvalue()
    assert "http" not in the_mail_to(world.trainer)


def add_trainers(world, count):
    """`count` trainers with an address, each with a participant to see this week."""
    for _ in range(count):
        trainer = staff_member(Role.TRAINER, world.department)
        give_addresses(trainer)
        trajectory = TrajectoryFactory(
            department=world.department, trainer=trainer, coach=world.coach
        )
        late_look_back(trajectory)
        GuidanceConversationFactory(
            trajectory=trajectory, planned_at=timezone.now() + datetime.timedelta(days=1)
        )
        PauseFactory(
            trajectory=TrajectoryFactory(
                department=world.department, trainer=trainer, coach=world.coach
            )
        )


def queries_for_sending() -> int:
    """The queries of a week's sending, as if it were a new week each time."""
    ScheduledRun.objects.all().delete()
    SentReminder.objects.all().delete()
    with CaptureQueriesContext(connection) as context:
        run()
    return len(context)


def test_the_same_number_of_queries_for_3_and_12_trainers(world):
    add_trainers(world, 3)
    small = queries_for_sending()
    sent = Mail.objects.count()
    add_trainers(world, 9)
    large = queries_for_sending()

    assert Mail.objects.count() - sent == sent + 9
    assert small == large


def test_each_coach_adds_four_queries(world):
    add_trainers(world, 2)
    two_coaches = queries_for_sending()
    give_addresses(staff_member(Role.COACH, world.department))
    three_coaches = queries_for_sending()

    assert three_coaches - two_coaches == 4


def test_a_second_run_in_the_same_week_sends_nothing_again(world):
    late_look_back(world.trajectory)
    send()
    sent = len(mail.outbox)

    output = send()

    assert sent > 0
    assert len(mail.outbox) == sent
    assert "Nothing to do: send_reminders for" in output


def test_with_the_mail_server_down_on_monday_morning_the_reminders_wait_and_go_later(
    world, settings
):
    late_look_back(world.trajectory)
    good_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False

    output = send()

    assert output.splitlines()[-1] == "3 e-mail(s) to trainers, 2 to coaches sent."
    assert mail.outbox == []
    assert Mail.objects.unsent().count() == SentReminder.objects.count() == 5
    settings.EMAIL_BACKEND = good_backend
    deliver_all()
    assert len(mail.outbox) == 5
    assert "Nothing to do" in run()


def test_each_reminder_is_recorded_with_its_e_mail_or_not_at_all(world, monkeypatch):
    late_look_back(world.trajectory)

    def broken(mails):
        raise ConnectionResetError("database went away")

    monkeypatch.setattr(queue, "queue", broken)
    with pytest.raises(ConnectionResetError):
        run()
    monkeypatch.undo()

    assert not SentReminder.objects.exists()
    send()
    assert len(mail.outbox) == SentReminder.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_runs_started_at_once_send_every_mail_once(world):
    """Cron on two machines for failover: two commands, each on its own database connection,
    started at the same moment."""
    late_look_back(world.trajectory)
    late_look_back(world.other_trajectory)
    start = threading.Barrier(2, timeout=30)
    outputs, errors = [], []

    def machine():
        try:
            start.wait()
            outputs.append(run())
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    machines = [threading.Thread(target=machine) for _ in range(2)]
    for thread in machines:
        thread.start()
    for thread in machines:
        thread.join(timeout=60)

    assert errors == []
    deliver_all()
    addressed = [(message.to[0], message.subject) for message in mail.outbox]
    assert len(addressed) == len(set(addressed)) == SentReminder.objects.count()
    assert {world.trainer.user.email, world.other_trainer.user.email} <= {to for to, _ in addressed}
    assert sum("Nothing to do" in output for output in outputs) == 1
