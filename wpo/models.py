import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def recorded_by(verbose_name):
    """The login that wrote a row down, kept when the row outlives the login."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


# Bidirectional controls: embeddings, overrides, isolates and the directional marks. In a name
# they serve only to deceive: U+202E shows "Jansen" as "nesnaJ", and one left unclosed turns the
# rest of the line around it. The templates isolate names as well; these are not even kept.
DIRECTION_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
)


def without_direction_controls(value):
    return value.translate(DIRECTION_CONTROLS) if isinstance(value, str) else value


class NameField(models.CharField):
    """A name of a person: bidirectional control characters are removed, on every way in (a
    form's or the admin's validation, a save, a lookup, an update), so no path stores one."""

    # also what a save, a lookup and an update go through (CharField.get_prep_value)
    def to_python(self, value):
        return without_direction_controls(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = without_direction_controls(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)  # shown right after a save, too
        return value

    def deconstruct(self):
        # the column is a plain one: no migration in an app that takes this field
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class Versioned(models.Model):
    """A row that two people may edit at once (optimistic concurrency): an edit form carries
    the version it was loaded with, and a save from a form loaded before someone else's save
    is refused (`wpo.services.EditConflict`). Every save through the services counts it
    up. Not kept in the history: it says nothing about the participant."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class Miss(models.Model):
    """A secret tried on a public page that did not work, by a hashed address: enough to slow
    down guessing (`wpo.guessing`), without keeping who tried."""

    client = models.CharField(_("client"), max_length=64, db_index=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.client[:8]} {self.at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(Miss):
    """A request for a new password, by a hashed address: counted like a miss, whether the
    address was known or not, so asking often soon stops and says nothing about the address."""

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")


class BusinessUnit(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")

    def __str__(self):
        return self.name


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wpo import access  # access reads these models

        return self.filter(access.department_q(user))

    def coached_by(self, user):
        from wpo import access

        return self.filter(access.coached_q(user))


class Department(models.Model):
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("business unit"),
    )
    name = models.CharField(_("name"), max_length=100)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["business_unit__name", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["business_unit", "name"], name="department_name_unique_in_unit"
            )
        ]

    def __str__(self):
        return self.name


# Dutch surname prefixes (tussenvoegsels): they do not count in initials, also when written
# with a capital ("De Vries" without a first name before it), and neither does any other word of
# the surname written in lower case.
INFIXES = frozenset(
    {
        *("van", "der", "de", "den", "het", "t", "ten", "ter", "te", "in", "op", "uit"),
        *("aan", "bij", "onder", "over", "voor", "d", "l", "el", "al", "la", "le"),
    }
)
NAME_WORDS = re.compile(r"[^\s'\u2019\-]+")  # a name splits at spaces, hyphens, apostrophes
INITIALS_TYPED = re.compile(r"[^\W\d_][^\W\d_.\s\-]*(?:[.\s\-]+[^\W\d_]+)*\.?")


def _letters(text: str) -> str:
    """The letters of `text` in capitals, without accents: "Ö" may be typed as "O"."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if c.isalpha()).upper()


def _first_letters(words) -> str:
    return "".join(_letters(word[0]) for word in words)


def _surname_words(last_name: str) -> list[str]:
    words = NAME_WORDS.findall(last_name)
    words = [w for w in words if w.lower() not in INFIXES] or words
    return [w for w in words if w[0].isupper()] or words


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wpo import access

        return self.filter(access.person_q(user)).distinct()

    def in_role(self, *roles, departments):
        """Who holds one of `roles` in one of `departments` (ids or a queryset): the trainers,
        the coaches."""
        return (
            self.filter(memberships__role__in=roles, memberships__department__in=departments)
            .distinct()
            .order_by("last_name", "first_name")
        )


class Person(models.Model):
    """An employee of the organisation. A participant is a person without a login; trainers,
    coaches and the project manager are people with one."""

    first_name = NameField(_("first name"), max_length=60)
    infix = NameField(_("infix"), max_length=20, blank=True, help_text=_("e.g. 'van der'"))
    last_name = NameField(_("last name"), max_length=80)
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("For invitations; a login has its own address."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("department"),
        help_text=_("Where this person works."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    calendar_version = models.PositiveIntegerField(
        _("calendar link version"),
        default=0,
        help_text=_("Raised when the trainer asks for a new calendar link: the old one stops."),
    )
    anonymised_on = models.DateField(
        _("anonymised on"),
        null=True,
        blank=True,
        help_text=_("After the retention period: the name and what was written are removed."),
    )

    objects = PersonQuerySet.as_manager()
    # who added or changed a person, and when; the calendar version is no change of theirs
    history = HistoricalRecords(excluded_fields=["calendar_version"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~Q(employee_number=""),
                name="person_employee_number_unique",
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    def has_initials(self, typed: str) -> bool:
        """Whether `typed` are this person's initials: the first letter of the first name, or
        of each first name, then the first letter of the surname, or of each part of a double
        surname. The infix does not count; case, accents, dots, spaces and hyphens do not
        matter. For Fatima el Amrani: "FA", "F.A.", "f a"; for Anna Maria de Vries-Bakker
        also "AMV", "A.V.B.", "amvb"."""
        if not INITIALS_TYPED.fullmatch(typed.strip()):
            return False
        given = _first_letters(NAME_WORDS.findall(self.first_name))
        surname = _first_letters(_surname_words(self.last_name))
        accepted = {g + s for g in (given[:1], given) for s in (surname[:1], surname)}
        return _letters(typed) in accepted


class Role(models.TextChoices):
    TRAINER = "trainer", _("workplace trainer")
    COACH = "coach", _("coach")
    PROJECT_MANAGER = "project_manager", _("project manager")
    UNIT_MANAGER = "unit_manager", _("business-unit manager")


class Membership(models.Model):
    """A person's role in the programme: trainer or coach of a department, manager of a
    business unit (who follows its figures), or project manager of the whole organisation."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("business unit"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(
                    role=Role.PROJECT_MANAGER, department__isnull=True, business_unit__isnull=True
                )
                | Q(role=Role.UNIT_MANAGER, department__isnull=True, business_unit__isnull=False)
                | (
                    Q(role__in=[Role.TRAINER, Role.COACH])
                    & Q(department__isnull=False, business_unit__isnull=True)
                ),
                name="membership_department_matches_role",
                violation_error_message=_(
                    "A trainer or coach belongs to a department, a business-unit manager to a "
                    "business unit; a project manager to neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "role", "department"],
                condition=Q(department__isnull=False),
                name="membership_unique_per_department",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(department__isnull=True, business_unit__isnull=True),
                name="membership_unique_organisation_wide",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "business_unit"],
                condition=Q(business_unit__isnull=False),
                name="membership_unique_per_business_unit",
            ),
        ]

    def __str__(self):
        if self.department_id or self.business_unit_id:
            place = self.department or self.business_unit
            return f"{self.person} — {self.get_role_display()} ({place})"
        return f"{self.person} — {self.get_role_display()}"


class AuditAction(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKED_OUT = "locked_out", _("locked out after wrong passwords")
    SECOND_STEP_FAILED = "second_step_failed", _("wrong code in the second step")
    APP_LINKED = "app_linked", _("authenticator app linked")
    CALENDAR_RENEWED = "calendar_renewed", _("new calendar link made")
    PARTICIPANT_LINK_MADE = "participant_link_made", _("personal link of a participant made")
    LOGOUT = "logout", _("logged out")
    EXPORT = "export", _("exported")
    DOWNLOAD = "download", _("downloaded")
    ANONYMISE = "anonymise", _("anonymised")
    ERASE = "erase", _("erased on request")
    REGISTRATION_CORRECTED = "registration_corrected", _("registration corrected")
    REGISTRATION_WITHDRAWN = "registration_withdrawn", _("registration withdrawn")
    PASSWORD_RESET_ASKED = "password_reset_asked", _("new password asked for")
    PASSWORD_RESET = "password_reset", _("new password set")
    PERSON_ADDED = "person_added", _("person added")
    ROLE_GIVEN = "role_given", _("role given")
    ROLE_TAKEN = "role_taken", _("role taken away")
    PEOPLE_IMPORTED = "people_imported", _("employees imported")


class AuditEvent(models.Model):
    """Who did what with personal data, and when: logins, failed logins, exports, downloads.
    It names the login and the object by id; what the object holds stays in its own table."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = recorded_by(_("login"))
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("kind of record"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=40, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values),
                name="audit_event_action_valid",
            )
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class Submission(models.Model):
    """A form post that carried a one-time token (`wpo.idempotency`), and the answer it got:
    the same token posted again gets this answer instead of a second record. The row is
    written in the transaction that carried the post out, so it exists only for posts that
    succeeded. It is kept for the login that posted it or, for the participant's own pages
    (opened with their personal link, without a login), for that session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
    )
    # a hash: the session key itself would open the session to whoever reads this table
    session = models.CharField(_("session"), max_length=64, blank=True, default="")
    token = models.CharField(_("token"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True)
    headers = models.JSONField(_("headers"), default=dict)
    body = models.BinaryField(_("body"), default=b"")

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token"], name="submission_token_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["session", "token"],
                condition=models.Q(user__isnull=True),
                name="submission_token_once_per_session",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, session="")
                | (models.Q(user__isnull=True) & ~models.Q(session="")),
                name="submission_by_login_or_session",
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"


class ScheduledRun(models.Model):
    """One run of a scheduled command for one period (a day, a week). Cron may start the
    command on several machines at once, for failover: the one that inserts this row runs it,
    the others find the row and stop. The unique insert is the lock, on SQLite and PostgreSQL
    alike, and the row stays as the record that the period is done."""

    job = models.CharField(_("job"), max_length=50)
    period = models.CharField(_("period"), max_length=20)
    host = models.CharField(_("machine"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once_per_period")
        ]

    def __str__(self):
        return f"{self.job} {self.period}"


class WorkerBeat(models.Model):
    """A background worker's sign of life, renewed while it runs (`manage.py db_worker`). A
    task whose worker stopped beating was cut off (the process killed, the machine gone): it is
    taken up again or marked failed (`wpo.tasks.recover_stale_tasks`)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    beat_at = models.DateTimeField(_("last sign of life"))

    class Meta:
        verbose_name = _("worker's sign of life")
        verbose_name_plural = _("workers' signs of life")

    def __str__(self):
        return self.worker_id
