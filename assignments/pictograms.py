"""The pictograms in static/img/pictograms/, drawn for this project: one per skill, per part of
an assignment, per main action, and faces for "how did it go?". Many participants read with
difficulty; a picture beside the words says what a block or a button is for."""

from functools import cache

from django.contrib.staticfiles import finders
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

FOLDER = "img/pictograms"

# what each picture means, as its accessible name; the skills follow the catalogue's numbers
NAMES = {
    "skill-1": _("Learning from mistakes and feedback"),
    "skill-2": _("Working together"),
    "skill-3": _("Following instructions"),
    "skill-4": _("Delivering quality"),
    "skill-5": _("Planning your work"),
    "skill-6": _("Dealing with change"),
    "skill-7": _("Keeping agreements"),
    "skill-8": _("Dealing with pressure and setbacks"),
    "part-video": _("Video and explanation"),
    "part-questions": _("Questions"),
    "part-summary": _("Summary"),
    "part-get-started": _("Get-started task"),
    "part-look-back": _("Look-back task"),
    "action-read-aloud": _("Read aloud"),
    "action-write": _("Write your answer"),
    "action-confirm": _("Discussed with me"),
    "action-done": _("Done"),
    "action-calendar": _("Next conversation"),
    "action-certificate": _("Certificate"),
    "face-good": _("good"),
    "face-so-so": _("a little"),
    "face-hard": _("difficult"),
}

# the five parts of an assignment in the handbook's order, by the names used in templates
PARTS = ("video", "questions", "summary", "get-started", "look-back")


class Feeling(models.TextChoices):
    """A pictured answer to "How did it go?": each value is a face pictogram (`face-<value>`)."""

    GOOD = "good", _("good")
    SO_SO = "so-so", _("a little")
    HARD = "hard", _("difficult")


@cache
def _drawing(name: str) -> str:
    """The file's markup after its opening `<svg`; read once per process."""
    path = finders.find(f"{FOLDER}/{name}.svg")
    if path is None:
        return ""
    with open(path, encoding="utf-8") as file:
        return file.read().strip().removeprefix("<svg")


def inline_svg(name: str, label=None) -> SafeString:
    """The pictogram as inline SVG named for assistive technology by `label` (by default what
    it means); `label=""` marks it as decoration beside words that say the same. An unknown
    name, such as a ninth skill in an organisation's own catalogue, is no picture at all."""
    drawing = _drawing(name)
    if not drawing:
        return mark_safe("")
    if label is None:
        label = NAMES.get(name, "")
    if not label:
        return mark_safe(f'<svg class="pictogram" aria-hidden="true"{drawing}')
    opening, rest = drawing.split(">", 1)
    return mark_safe(
        f'<svg class="pictogram" role="img"{opening}><title>{escape(label)}</title>{rest}'
    )
