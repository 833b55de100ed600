import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trajects.models import Trajectory, TrajectoryPartQuerySet
from wpo.models import recorded_by

# No 0/O or 1/I/L: the code is typed over from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


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
        help_text=_('A list of {"skill": ..., "level": "A"|"B"|"C"}.'),
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
