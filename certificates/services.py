"""Issuing, revoking and reissuing certificates, and printing them in batches (DOMAIN.md, phase
4: "participants value a certificate, made from the certificate format, showing the results
achieved").

Like the trajectory's steps, each is one transaction that checks its rules and raises
`StepRefused` with a message for the user; every version of a certificate is kept in its
history, with who changed it.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import documents
from certificates.models import (
    Certificate,
    CertificateBatch,
    VerificationMiss,
    level_meaning,
)
from trajects.models import Phase, Trajectory
from wpo.guessing import Guessing
from wpo.services import not_in_future, refuse, save


def skill_lines(trajectory: Trajectory) -> list[dict]:
    """The assessed skills as printed: name, level and what the level means, in the
    organisation's language (the snapshot keeps saying it, whatever the reader's language)."""
    rows = trajectory.skills.filter(achieved_level__gt="").select_related("skill")
    return [
        {
            "skill": row.skill.name,
            "level": row.achieved_level,
            "meaning": level_meaning(row.achieved_level),
        }
        for row in rows.order_by("skill__number")
    ]


def period(trajectory: Trajectory, issued_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period the certificate states: from the day the trajectory started to the day it
    closed, or to the issue date while it is still open. The start is the agreed start: the
    trajectory's Start phase is recorded on it and no step may be dated before it. The agreed
    end is only a plan: a trajectory may close before or after it."""
    return trajectory.agreed_start, trajectory.closed_on or issued_on


@transaction.atomic
def issue_certificate(
    trajectory: Trajectory, *, issued_on: datetime.date, place: str, by
) -> Certificate:
    """A snapshot of what the participant achieved, for the closing."""
    trajectory = (
        Trajectory.objects.select_for_update(of=("self",))
        .select_related("participant", "trainer", "coach")
        .get(pk=trajectory.pk)
    )
    if trajectory.stopped_on:
        refuse(_("This trajectory was stopped early; it gets no certificate."))
    if trajectory.phase != Phase.CLOSING:
        refuse(_("A certificate is issued in the closing, once the skills are assessed."))
    not_in_future(issued_on, "issued_on")
    if issued_on < trajectory.agreed_start:
        refuse(_("This date is before the trajectory started."), "issued_on")
    if trajectory.certificates.valid().exists():
        refuse(_("This trajectory already has a valid certificate. Revoke it to issue a new one."))
    skills = skill_lines(trajectory)
    if not skills:
        refuse(_("No skill has been assessed yet."))
    period_start, period_end = period(trajectory, issued_on)
    certificate = Certificate(
        trajectory=trajectory,
        participant_name=trajectory.participant.full_name,
        skills=skills,
        period_start=period_start,
        period_end=period_end,
        organisation=settings.WPO_ORGANISATION_NAME,
        place=place.strip(),
        issued_on=issued_on,
        trainer_name=trajectory.trainer.full_name,
        coach_name=trajectory.coach.full_name,
        issued_by=by,
    )
    return save(certificate, by=by)


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, reason: str, by) -> Certificate:
    """The certificate stops being valid; the verification page says so from now on."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("trajectory")
        .get(pk=certificate.pk)
    )
    if not certificate.is_valid:
        refuse(_("This certificate has already been revoked."))
    if not reason.strip():
        refuse(_("Give the reason for revoking."), "reason")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    return save(certificate, ["revoked_at", "revoked_reason"], by=by)


@transaction.atomic
def reissue_certificate(certificate: Certificate, *, reason: str, by) -> Certificate:
    """Revoke, and issue a new one today with what is recorded now (a corrected name, a skill
    assessed again). Both happen, or neither."""
    revoked = revoke_certificate(certificate, reason=reason, by=by)
    return issue_certificate(
        revoked.trajectory, issued_on=timezone.localdate(), place=revoked.place, by=by
    )


@transaction.atomic
def request_batch(certificates, *, title: str, site_url: str, by) -> CertificateBatch:
    """One PDF with a page per certificate, made in the background (`manage.py db_worker`).
    The task is stored in the same transaction, so the worker never sees half a batch."""
    from certificates.tasks import render_batch

    certificates = list(certificates)
    if not certificates:
        refuse(_("Choose at least one certificate."), "certificates")
    if not all(certificate.is_valid for certificate in certificates):
        refuse(_("A revoked certificate is not printed."), "certificates")
    batch = CertificateBatch.objects.create(title=title, site_url=site_url, requested_by=by)
    batch.certificates.set(certificates)
    batch.task_id = str(render_batch.enqueue(batch.pk).id)
    batch.save(update_fields=["task_id"])
    return batch


@transaction.atomic
def retry_batch(batch: CertificateBatch, *, by) -> CertificateBatch:
    """Ask the worker again for a batch whose PDF could not be made (the worker failed, or was
    stopped in the middle too often)."""
    from certificates.tasks import has_failed, render_batch

    batch = CertificateBatch.objects.select_for_update().defer("pdf").get(pk=batch.pk)
    if batch.is_ready:
        refuse(_("The PDF is ready already."))
    if not has_failed(batch):
        refuse(_("The PDF is still being made."))
    batch.task_id = str(render_batch.enqueue(batch.pk).id)
    batch.save(update_fields=["task_id"])
    return batch


def make_batch_pdf(batch: CertificateBatch) -> CertificateBatch:
    """The worker's part: render every certificate of the batch into one PDF. A second worker
    that took up the task of one that stopped finds it done, and leaves it."""
    if batch.is_ready:
        return batch
    # revoked since it was asked for: left out
    certificates = batch.certificates.valid().order_by("participant_name", "pk")
    batch.pdf = documents.certificates_pdf(certificates, site_url=batch.site_url)
    batch.finished_at = timezone.now()
    batch.save(update_fields=["pdf", "finished_at"])
    return batch


# unknown codes from one address: guessing codes soon stops
guessing = Guessing(VerificationMiss, "certificates.verify", "WPO_VERIFY_MISSES_PER_HOUR")
