import datetime

import factory
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from assignments.models import Assignment, Level, Skill
from certificates.models import Certificate, CertificateBatch, VerificationMiss
from trajects import deadlines
from trajects.models import (
    AssignmentProgress,
    Escalation,
    EscalationMessage,
    FloorNote,
    GuidanceConversation,
    Interest,
    Mail,
    MailKind,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    ParticipantWords,
    Pause,
    PhaseChange,
    ReportPdf,
    Trajectory,
    TrajectorySkill,
)
from wpo.models import BusinessUnit, Department, Membership, Person, Role, Submission

PASSWORD = "wpo-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    name = factory.Sequence(lambda n: f"Bedrijfsonderdeel {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    business_unit = factory.SubFactory(BusinessUnitFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Sanne", "Mohammed", "Priya", "Kees", "Fatima", "Joris"])
    last_name = factory.Sequence(lambda n: f"Jansen{n}")
    department = factory.SubFactory(DepartmentFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    role = Role.TRAINER
    department = factory.SelfAttribute("person.department")


def staff_member(role: str, department: Department | None = None, **person) -> Person:
    """A person with a login and one role: a trainer or coach of `department`, the manager of
    its business unit, or the project manager (no department)."""
    user = UserFactory()
    person = PersonFactory(user=user, department=department or DepartmentFactory(), **person)
    place = {"department": department}
    if role == Role.PROJECT_MANAGER:
        place = {}
    elif role == Role.UNIT_MANAGER:
        place = {"business_unit": person.department.business_unit}
    Membership.objects.create(person=person, role=role, **place)
    return person


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Vaardigheid {n}")
    competence = "Samenwerken en overleggen"
    description = "Samen met collega's het werk goed doen."


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        django_get_or_create = ["skill", "number"]

    skill = factory.SubFactory(SkillFactory)
    number = 1
    level = Level.A
    title = factory.Sequence(lambda n: f"Opdracht {n}")
    learning_goal = "Je leert om hulp te vragen."
    explanation = "Uitleg over de opdracht."
    general_questions = "Wat vind je lastig?\nWie kun je om hulp vragen?"
    summary = "- Vraag op tijd om hulp."
    get_started_task = "Vraag deze week twee keer om hulp."
    look_back_task = "Hoe ging het vragen om hulp?"
    expected_weeks = 2


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    person = factory.SubFactory(PersonFactory)
    department = factory.SelfAttribute("person.department")


class KeepsClockDates(factory.django.DjangoModelFactory):
    """A row the method's clocks read: made directly, its trajectory's clock dates are stored
    as the services' steps store them (`trajects.deadlines.refresh`)."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            deadlines.refresh(cls.trajectory_of(instance))

    @staticmethod
    def trajectory_of(instance):
        return instance.trajectory


class TrajectoryFactory(factory.django.DjangoModelFactory):
    """A trajectory without rows yet: its clocks run from the agreed start, as
    `trajects.deadlines` works them out (without its five queries: a test world makes three)."""

    class Meta:
        model = Trajectory

    department = factory.SubFactory(DepartmentFactory)
    participant = factory.SubFactory(
        PersonFactory, department=factory.SelfAttribute("..department")
    )
    trainer = factory.SubFactory(PersonFactory, department=factory.SelfAttribute("..department"))
    coach = factory.SubFactory(PersonFactory)
    agreed_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    agreed_end = factory.LazyAttribute(lambda o: o.agreed_start + datetime.timedelta(days=182))
    phase = 2
    conversation_since = factory.SelfAttribute("agreed_start")
    year_since = factory.SelfAttribute("agreed_start")


class TrajectorySkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrajectorySkill

    trajectory = factory.SubFactory(TrajectoryFactory)
    skill = factory.SubFactory(SkillFactory)
    target_level = Level.B


class AssignmentProgressFactory(KeepsClockDates):
    class Meta:
        model = AssignmentProgress

    @staticmethod
    def trajectory_of(instance):
        return instance.trajectory_skill.trajectory

    trajectory_skill = factory.SubFactory(TrajectorySkillFactory)
    assignment = factory.SubFactory(
        AssignmentFactory, skill=factory.SelfAttribute("..trajectory_skill.skill")
    )


class GuidanceConversationFactory(KeepsClockDates):
    class Meta:
        model = GuidanceConversation

    trajectory = factory.SubFactory(TrajectoryFactory)
    planned_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class ParticipantWordsFactory(factory.django.DjangoModelFactory):
    """An answer the participant wrote to a general question on their own page."""

    class Meta:
        model = ParticipantWords

    progress = factory.SubFactory(AssignmentProgressFactory)
    trajectory = factory.SelfAttribute("progress.trajectory_skill.trajectory")
    kind = "answer"
    question = 1
    text = "Ik vind het lastig om te vragen."


class FloorNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FloorNote

    trajectory = factory.SubFactory(TrajectoryFactory)
    text = "Vroeg vandaag zelf om uitleg bij de nieuwe machine."


class PauseFactory(KeepsClockDates):
    class Meta:
        model = Pause

    trajectory = factory.SubFactory(TrajectoryFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    resume_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=21))
    reason = "Ziek thuis"


class PhaseChangeFactory(KeepsClockDates):
    class Meta:
        model = PhaseChange

    trajectory = factory.SubFactory(TrajectoryFactory)
    phase = 2


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.KICKOFF
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    organiser = factory.SubFactory(PersonFactory)


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    raised_by = factory.SubFactory(PersonFactory)
    department = factory.SubFactory(DepartmentFactory)
    subject = "Te weinig tijd voor begeleiding"
    description = "De productiedruk laat geen ruimte voor gesprekken."


class EscalationMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationMessage

    escalation = factory.SubFactory(EscalationFactory)
    author = factory.SelfAttribute("escalation.raised_by")
    by_project_manager = False
    text = "Het is nog niet opgelost."


class MailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mail

    kind = MailKind.INVITATION
    recipient = factory.SubFactory(PersonFactory)
    address = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    subject = "Uitnodiging: Startbijeenkomst"
    body = "Je bent uitgenodigd."


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    trajectory = factory.SubFactory(TrajectoryFactory, phase=4)
    participant_name = factory.LazyAttribute(lambda o: o.trajectory.participant.full_name)
    skills = factory.LazyFunction(lambda: [{"skill": "Samenwerken", "level": "B"}])
    period_start = factory.LazyAttribute(lambda o: o.trajectory.agreed_start)
    period_end = factory.LazyAttribute(lambda o: o.trajectory.agreed_end)
    organisation = "Werkbedrijf De Linie"
    place = "Utrecht"
    issued_on = factory.LazyFunction(timezone.localdate)
    trainer_name = factory.LazyAttribute(lambda o: o.trajectory.trainer.full_name)
    coach_name = factory.LazyAttribute(lambda o: o.trajectory.coach.full_name)


class CertificateBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateBatch

    title = "Afsluiting voorjaar"
    requested_by = factory.SubFactory(UserFactory)
    site_url = "https://wpo.example.nl/"


class ReportPdfFactory(factory.django.DjangoModelFactory):
    """A large PDF report asked for, waiting for the worker."""

    class Meta:
        model = ReportPdf

    requested_by = factory.SubFactory(UserFactory)
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    period_label = "2026"
    language = "nl"


class VerificationMissFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationMiss

    client = "0" * 40


def many_participants(department, trainer, coach, count: int) -> None:
    """`count` participants in `department`, each in the learning phase with an assignment in
    progress, a held and a planned conversation, and as many registrations waiting: made with
    bulk inserts, so a large organisation is quick to make."""
    today = timezone.localdate()
    now = timezone.now()
    assignment = AssignmentFactory()
    people = Person.objects.bulk_create(
        Person(first_name="Veel", last_name=f"Deelnemer{n}", department=department)
        for n in range(2 * count)
    )
    trajectories = Trajectory.objects.bulk_create(
        Trajectory(
            participant=person,
            department=department,
            trainer=trainer,
            coach=coach,
            agreed_start=today - datetime.timedelta(days=30 + n % 400),
            agreed_end=today + datetime.timedelta(days=150 - n % 150),
            phase=2,
        )
        for n, person in enumerate(people[:count])
    )
    chosen = TrajectorySkill.objects.bulk_create(
        TrajectorySkill(trajectory=trajectory, skill=assignment.skill, target_level=Level.B)
        for trajectory in trajectories
    )
    AssignmentProgress.objects.bulk_create(
        AssignmentProgress(
            trajectory_skill=skill,
            assignment=assignment,
            status="working",
            introduced_on=today - datetime.timedelta(days=n % 70),
        )
        for n, skill in enumerate(chosen)
    )
    GuidanceConversation.objects.bulk_create(
        conversation
        for n, trajectory in enumerate(trajectories)
        for conversation in (
            GuidanceConversation(
                trajectory=trajectory, held_at=now - datetime.timedelta(days=n % 50)
            ),
            GuidanceConversation(
                trajectory=trajectory, planned_at=now + datetime.timedelta(days=n % 9)
            ),
        )
    )
    Interest.objects.bulk_create(
        Interest(
            person=person,
            department=department,
            registered_on=today - datetime.timedelta(days=n % 90),
        )
        for n, person in enumerate(people[count:])
    )
    deadlines.refresh_all(Trajectory.objects.filter(department=department))
    # fresh statistics, as autovacuum keeps them in production: without them PostgreSQL plans
    # the queries as if the tables were empty
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A form post carried out under a one-time token, with its answer (wpo.idempotency)."""

    class Meta:
        model = Submission

    user = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"token-{n}")
    status = 302
    headers = factory.LazyFunction(lambda: {"Location": "/"})
