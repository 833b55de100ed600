from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """A is the first level, C the highest (MBO-1, MBO Entree). Letters sort in level order."""

    A = "A", _("level A")
    B = "B", _("level B")
    C = "C", _("level C")


class Skill(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    competence = models.CharField(
        _("competence"),
        max_length=100,
        blank=True,
        help_text=_("The MBO competence it stems from."),
    )
    description = models.TextField(_("description"), help_text=_("For the skill choice card."))
    observations = models.TextField(
        _("observations"),
        blank=True,
        help_text=_("What a trainer may see, one sentence per line ('Ik zie dat ...')."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name

    @property
    def observation_list(self) -> list[str]:
        return [line for line in self.observations.splitlines() if line.strip()]


class Assignment(models.Model):
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("skill")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    level = models.CharField(_("level"), max_length=1, choices=Level.choices)
    title = models.CharField(_("title"), max_length=120)
    learning_goal = models.TextField(_("learning goal"))
    explanation = models.TextField(_("explanation"))
    video_url = models.URLField(_("video"), blank=True)
    general_questions = models.TextField(
        _("general questions"), help_text=_("One question or exercise per line.")
    )
    summary = models.TextField(_("summary"))
    get_started_task = models.TextField(_("get-started task"))
    look_back_task = models.TextField(_("look-back task"))
    expected_weeks = models.PositiveSmallIntegerField(
        _("expected weeks"), help_text=_("How long the assignment usually takes (1 to 6 weeks).")
    )

    class Meta:
        ordering = ["skill__number", "number"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["skill", "number"], name="assignment_number_unique_per_skill"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=6), name="assignment_number_1_to_6"
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="assignment_level_abc"
            ),
            models.CheckConstraint(
                condition=Q(expected_weeks__gte=1, expected_weeks__lte=6),
                name="assignment_expected_weeks_1_to_6",
            ),
        ]

    def __str__(self):
        return f"{self.skill.name} {self.number} ({self.level}): {self.title}"

    @property
    def question_list(self) -> list[str]:
        return [line for line in self.general_questions.splitlines() if line.strip()]

    @property
    def summary_points(self) -> list[str]:
        """The summary's lines without the "- " the catalogue writes before each, so a page or
        handout shows them as a real list."""
        return [
            line.strip().removeprefix("- ") for line in self.summary.splitlines() if line.strip()
        ]
