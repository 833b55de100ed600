"""The participant's own part: their personal link, what they write in their own words, and
their confirmation that a conversation was held with them.

A personal link is a long random token; only its SHA-256 hash is stored, as for a password
reset, so the database cannot give it away. The participant's words are versioned: a save
from a page loaded before another device's save is refused and shows the earlier text, and
the history keeps both."""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.pictograms import Feeling
from trajects.models import (
    AssignmentProgress,
    GuidanceConversation,
    LinkMiss,
    ParticipantLink,
    ParticipantWords,
    Trajectory,
    WordsKind,
)
from trajects.services.steps import locked
from wpo.guessing import Guessing
from wpo.services import EditConflict, StepRefused, refuse, save

MAX_WORDS = 2000  # characters: a few paragraphs, far more than a spoken answer


class OtherDevice(EditConflict):
    """The participant wrote here on another screen after this page was opened."""

    def __init__(self, saved: ParticipantWords):
        StepRefused.__init__(
            self,
            _(
                "You also wrote this on another screen. That text is shown here. Your new "
                "text is still in the box. Press Save to keep your new text."
            ),
        )
        self.saved = saved
        self.fields = ("text", "feeling") if saved.feeling else ("text",)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def make_link(trajectory: Trajectory, *, by=None) -> str:
    """A new personal link for the trajectory's participant; the old one ends. Returns the
    token, which is stored nowhere: the trainer shows it now, as a QR code or on the card."""
    trajectory = locked(trajectory)
    if not trajectory.is_open:
        refuse(_("This trajectory has ended; its participant no longer gets a personal link."))
    token = secrets.token_urlsafe(32)
    ParticipantLink.objects.filter(trajectory=trajectory).delete()
    ParticipantLink.objects.create(trajectory=trajectory, token_hash=_hash(token), made_by=by)
    return token


def is_current_token(trajectory: Trajectory, token: str) -> bool:
    """Whether `token` is the trajectory's link now (the card is printed from the page that
    showed it)."""
    link = ParticipantLink.objects.filter(trajectory=trajectory).first()
    return link is not None and hmac.compare_digest(link.token_hash, _hash(token))


# links that did not work from one address: guessing links soon stops
guessing = Guessing(LinkMiss, "trajects.participant_link", "WPO_LINK_MISSES_PER_HOUR")


def open_link(request, token: str) -> ParticipantLink | None:
    """The working link behind `token`, or None (unknown, replaced, or its trajectory ended),
    which counts towards the limit for guessing."""
    token_hash = _hash(token)
    link = (
        ParticipantLink.objects.filter(
            token_hash=token_hash,
            trajectory__closed_on__isnull=True,
            trajectory__stopped_on__isnull=True,
        )
        .select_related("trajectory")
        .first()
    )
    # the lookup is by hash, so no timing tells the token; compared again all the same
    if link is not None and hmac.compare_digest(link.token_hash, token_hash):
        return link
    guessing.record_miss(request)
    return None


def _check_text(text: str, *, feeling: str = "") -> str:
    """The words, stripped; none at all is fine only beside a face they chose."""
    text = text.strip()
    if not text and not feeling:
        refuse(_("Write something first. One word is enough."), "text")
    if len(text) > MAX_WORDS:
        refuse(
            _("This is too long. Keep it under %(max)s letters. Your text is still here.")
            % {"max": MAX_WORDS},
            "text",
        )
    return text


def _own_progress(trajectory: Trajectory, progress: AssignmentProgress) -> AssignmentProgress:
    if progress.trajectory_skill.trajectory_id != trajectory.pk:
        refuse(_("This assignment is not yours."))
    return progress


@transaction.atomic
def write_words(
    trajectory: Trajectory,
    kind: str,
    text: str,
    *,
    progress: AssignmentProgress | None = None,
    question: int = 0,
    feeling: str = "",
    version: int | None = None,
) -> ParticipantWords:
    """Keep what the participant wrote at one place (`kind`, `progress`, `question`), and for
    how it went the face they chose (`feeling`, which alone is an answer too). The same again
    (a double tap) changes nothing; a save from a page loaded before another device saved
    here is refused with what was saved there (`OtherDevice`): `version` is what the page
    showed, 0 when nothing was written here yet, None when not known (no check)."""
    trajectory = locked(trajectory)
    if not trajectory.is_open:
        refuse(_("Your link no longer works. Ask your workplace trainer for a new one."))
    if feeling and (kind != WordsKind.LOOK_BACK or feeling not in Feeling.values):
        refuse(_("Choose one of the faces."), "feeling")
    text = _check_text(text, feeling=feeling)
    asked = len(progress.assignment.question_list) if progress is not None else 0
    if kind == WordsKind.ANSWER and not 1 <= question <= asked:
        refuse(_("This question is not part of your assignment."))
    if progress is not None:
        progress = _own_progress(trajectory, progress)
    place = {"trajectory": trajectory, "kind": kind, "progress": progress, "question": question}
    words = ParticipantWords.objects.filter(**place).first()
    if words is None:
        return save(ParticipantWords(**place, text=text, feeling=feeling))
    if (words.text, words.feeling) == (text, feeling):
        return words
    if version is not None and version != words.version:
        raise OtherDevice(words)
    words.text, words.feeling = text, feeling
    return save(words, ["text", "feeling", "written_at"])


@transaction.atomic
def confirm_on_own_page(trajectory: Trajectory, conversation: GuidanceConversation):
    """The participant confirms on their own page that a held conversation was held with
    them. Confirming twice (a double tap) changes nothing."""
    conversation = GuidanceConversation.objects.select_for_update(of=("self",)).get(
        pk=conversation.pk
    )
    if conversation.trajectory_id != trajectory.pk:
        refuse(_("This conversation is not yours."))
    if conversation.held_at is None:
        refuse(_("This conversation has not taken place yet."))
    if conversation.participant_confirmed_at is not None:
        return conversation
    conversation.confirmed_on_own_page = True
    conversation.participant_confirmed_at = timezone.now()
    return save(conversation, ["confirmed_on_own_page", "participant_confirmed_at"])
