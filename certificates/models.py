import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models import Level
from trajects.models import Trajectory, TrajectoryPartQuerySet
from wpo import access
from wpo.models import Miss, recorded_by

# No 0/O or 1/I/L: the code is typed over from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


# What a level means, in one plain sentence for the reader of a certificate (an employer, a
# school): C is the level of MBO-1 (MBO Entree).
LEVEL_MEANINGS = {
    Level.A: _("Does this in simple situations, with help from the workplace trainer."),
    Level.B: _("Does this independently in the ordinary daily work."),
    Level.C: _("Does this independently, also when the work changes or is busy (MBO-1)."),
}


def level_meaning(level: str) -> str:
    """The sentence as printed: in the organisation's language, whoever issues."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(LEVEL_MEANINGS[level])


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """What was handed out at the closing. The names, skills and levels are a snapshot: the
    certificate keeps saying what it said on the day, whatever changes afterwards."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("trajectory"),
    )
    code = models.CharField(
        _("verification code"), max_length=14, unique=True, default=new_verification_code
    )
    participant_name = models.CharField(_("participant"), max_length=200)
    skills = models.JSONField(
        _("skills and levels"),
        default=list,
        help_text=_('A list of {"skill": ..., "level": "A"|"B"|"C", "meaning": ...}.'),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    organisation = models.CharField(_("organisation"), max_length=200)
    place = models.CharField(_("place"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    trainer_name = models.CharField(_("workplace trainer"), max_length=200)
    coach_name = models.CharField(_("coach"), max_length=200)
    issued_by = recorded_by(_("issued by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    history = HistoricalRecords()

    class QuerySet(TrajectoryPartQuerySet):
        def valid(self):
            return self.filter(revoked_at__isnull=True)

        def of_department(self, department):
            return self.filter(trajectory__department=department)

        def invited_to(self, meeting):
            """The certificates of the participants invited to a meeting (a closing)."""
            return self.filter(trajectory__participant__attendances__meeting=meeting)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="certificate_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revoked_with_reason",
            ),
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_trajectory",
            ),
        ]

    def __str__(self):
        return f"{self.participant_name} ({self.code})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateBatch(models.Model):
    """Certificates printed together, for a closing: one PDF, made in the background."""

    title = models.CharField(_("title"), max_length=200)
    certificates = models.ManyToManyField(
        Certificate, related_name="batches", verbose_name=_("certificates")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # the QR codes lead to this site; the worker has no request to ask
    site_url = models.CharField(_("site address"), max_length=200)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class QuerySet(models.QuerySet):
        def visible_to(self, user):
            """The requester's own print job, and only while they may still see every
            certificate in it (a coach who no longer coaches the department loses it)."""
            outside = Certificate.objects.filter(
                access.outside_trajectories_q(user, "trajectory__"), batches=OuterRef("pk")
            )
            return self.filter(access.requested_by_q(user)).exclude(Exists(outside))

        def ready(self):
            return self.filter(finished_at__isnull=False)

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("batch of certificates")
        verbose_name_plural = _("batches of certificates")

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.finished_at is not None


class VerificationMiss(Miss):
    """An unknown code tried on the public verification page."""

    class Meta:
        verbose_name = _("unknown code tried")
        verbose_name_plural = _("unknown codes tried")
