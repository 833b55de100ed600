"""The Monday morning e-mail (docs/deploy.md has the cron line): each workplace trainer gets
what needs doing for their participants this week, each coach the signals of the departments
they coach. Everyone sees in it what their own home page shows them, no more; nobody gets an
empty e-mail.

Cron may start it on several machines (failover): one of them writes the week's e-mails. Each
is recorded (`SentReminder`) in the same transaction that hands it to the app's queue
(`trajects.mail`), so nobody gets the same one twice in a week, however often the command runs.
The queue, not the command, talks to the mail server: a server that is down at seven on Monday
morning loses no reminder (the worker tries again for hours), where a command that failed would
wait for someone to start it again before the week is over.

Queries: the trainers' e-mails take a fixed number, however many trainers and participants.
The coaches' digests go through the access rules one coach at a time (as their page does),
four queries per coach; there are a handful of coaches in an organisation. Handing the e-mails
to the worker takes one more per e-mail."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from trajects import mail, norms
from trajects.models import (
    GuidanceConversation,
    Interest,
    MailKind,
    ReminderKind,
    SentReminder,
    Trajectory,
)
from wpo import scheduling
from wpo.models import Department, Person, Role

WAITING_SHOWN = 10  # the registrations waiting longest, as on the coach's page


@dataclass
class Message:
    person: Person
    kind: str
    subject: str
    body: str


@dataclass
class ParticipantWeek:
    trajectory: Trajectory
    to_do: list[str]


def recipients(role: str):
    """People in `role` with a working login and an e-mail address."""
    return (
        Person.objects.filter(memberships__role=role, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def later_this_week(trajectory, until: datetime.date) -> list[str]:
    """What falls due after today and by `until`: look-backs and independent weeks ending.
    (What is due already, `to_do()` says.) A paused trajectory's clocks stand still."""
    if trajectory.current_pause:
        return []
    items = []
    for progress in trajectory.current_progress:
        title = progress.assignment.title
        look_back = progress.look_back_deadline()
        if look_back.comes_by(until):
            items.append(
                _("%(title)s: look back on the get-started task on %(day)s")
                % {"title": title, "day": formats.date_format(look_back.on, "l j F")}
            )
        follow_up = progress.follow_up_deadline()
        if follow_up.comes_by(until):
            items.append(
                _("%(title)s: the independent week ends on %(day)s")
                % {"title": title, "day": formats.date_format(follow_up.on, "l j F")}
            )
    return items


def trainer_weeks(trainers):
    """Per trainer (by id): the conversations planned in the coming seven days and, per
    participant, what needs doing, for the open trajectories they guide (as on their home
    page). In a fixed number of queries."""
    trajectories = (
        Trajectory.objects.active()
        .filter(trainer__in=trainers)
        .with_overview()
        .prefetch_related(
            Prefetch(
                "conversations",
                queryset=GuidanceConversation.objects.coming_week().order_by("planned_at"),
                to_attr="week_conversations",
            )
        )
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    until = timezone.localdate() + datetime.timedelta(days=6)
    weeks = {}
    for trajectory in trajectories:
        conversations, participants = weeks.setdefault(trajectory.trainer_id, ([], []))
        if not trajectory.current_pause:  # nobody is asked to meet someone who is off sick
            conversations.extend(trajectory.week_conversations)
        to_do = trajectory.to_do() + later_this_week(trajectory, until)
        if to_do:
            participants.append(ParticipantWeek(trajectory, to_do))
    for conversations, _participants in weeks.values():
        conversations.sort(key=lambda conversation: conversation.planned_at)
    return weeks


def coach_digest(coach) -> dict:
    """What the coach's page flags, for the departments they coach: participants with a signal
    (red first), trainers guiding too many at once, registrations waiting too long."""
    user = coach.user
    departments = Department.objects.coached_by(user)
    participants = (
        Trajectory.objects.in_coached_departments(user)
        .active()
        .with_signals()
        .filter(signal_level__gt=norms.Severity.GREEN)
        .select_related("participant", "department", "trainer")
        .signals_first()
    )
    trainers = norms.trainer_load(
        Person.objects.in_role(Role.TRAINER, departments=departments), departments
    )
    waiting = norms.waiting(
        Interest.objects.in_coached_departments(user)
        .waiting()
        .select_related("person", "department"),
        WAITING_SHOWN,
    )
    return {
        "participants": list(participants),
        "trainers": [row for row in trainers if row.signal],
        "waiting": [row for row in waiting if row.signal],
    }


class Command(BaseCommand):
    help = (
        "E-mail each workplace trainer what needs doing this week (conversations, look-backs, "
        "independent weeks, conversations to record) and each coach the signals of their "
        "departments. Meant for a weekly cron job (Monday morning); --dry-run prints the "
        "e-mails and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print; send nothing.")
        parser.add_argument(
            "--site-url",
            default=settings.WPO_SITE_URL,
            help="The site's address for the links in the e-mails (default: WPO_SITE_URL).",
        )

    def handle(self, *args, dry_run, site_url, **options):
        self.site_url = site_url.rstrip("/")
        if not self.site_url:
            self.stderr.write(
                "WPO_SITE_URL is not set and no --site-url given: the e-mails go without links."
            )
        if dry_run:
            messages = self.messages()
            for message in messages:
                self.stdout.write(
                    f"To: {message.person.user.email}\nSubject: {message.subject}\n\n"
                    f"{message.body}\n{'-' * 72}"
                )
            self.report(messages, "would be sent")
            return
        week = scheduling.this_week()
        with scheduling.once("send_reminders", week) as run:
            if run is None:
                self.stdout.write(f"Nothing to do: {scheduling.done_by('send_reminders', week)}.")
                return
            messages = self.queue(self.messages(), week)
            self.report(messages, "sent")

    def messages(self) -> list[Message]:
        # the app keeps no language per person: everyone reads the programme's Dutch
        with translation.override(settings.LANGUAGE_CODE):
            return self.trainer_messages() + self.coach_messages()

    def report(self, messages: list[Message], verb: str):
        to_trainers = sum(message.kind == ReminderKind.TRAINER_WEEK for message in messages)
        self.stdout.write(
            f"{to_trainers} e-mail(s) to trainers, {len(messages) - to_trainers} to coaches {verb}."
        )

    @transaction.atomic
    def queue(self, messages: list[Message], week: str) -> list[Message]:
        """The messages nobody sent this week yet, recorded as sent and handed to the worker
        together: the unique row per person, kind and week keeps a second sender out even if
        two got this far at once (its transaction, e-mails and all, is undone)."""
        sent = set(
            SentReminder.objects.filter(
                week=week, person__in=[message.person for message in messages]
            ).values_list("person_id", "kind")
        )
        unsent = [m for m in messages if (m.person.pk, m.kind) not in sent]
        SentReminder.objects.bulk_create(
            [SentReminder(person=m.person, kind=m.kind, week=week) for m in unsent]
        )
        mail.queue(mail.write(MailKind(m.kind), m.person, m.subject, m.body) for m in unsent)
        return unsent

    def link(self, name, *args) -> str:
        return f"{self.site_url}{reverse(name, args=args)}" if self.site_url else ""

    def trainer_messages(self) -> list[Message]:
        trainers = list(recipients(Role.TRAINER))
        weeks = trainer_weeks(trainers)
        messages = []
        for trainer in trainers:
            conversations, participants = weeks.get(trainer.pk, ([], []))
            if not conversations and not participants:
                continue
            context = {
                "person": trainer,
                "conversations": conversations,
                "participants": [
                    (week, self.link("trajects:trajectory", week.trajectory.pk))
                    for week in participants
                ],
                "home": self.link("trajects:trainer_home"),
                "calendar": self.link("trajects:calendar"),
            }
            messages.append(
                Message(
                    trainer,
                    ReminderKind.TRAINER_WEEK,
                    _("WPO: your week"),
                    render_to_string("trajects/email/trainer_week.txt", context),
                )
            )
        return messages

    def coach_messages(self) -> list[Message]:
        messages = []
        for coach in recipients(Role.COACH):
            digest = coach_digest(coach)
            if not any(digest.values()):
                continue
            context = digest | {
                "person": coach,
                "participants": [
                    (trajectory, self.link("trajects:trajectory", trajectory.pk))
                    for trajectory in digest["participants"]
                ],
                "home": self.link("trajects:coach_home"),
            }
            messages.append(
                Message(
                    coach,
                    ReminderKind.COACH_DIGEST,
                    _("WPO: signals in your departments"),
                    render_to_string("trajects/email/coach_digest.txt", context),
                )
            )
        return messages
