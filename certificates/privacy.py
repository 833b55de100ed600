"""Certificates in a participant's data rights: shown in the export; on anonymising, the
name on the certificate shrinks to initials, so its verification keeps working with the least
data (the holder shows the certificate with their full name on it), and printed batches that
hold it are deleted."""

from django.dispatch import receiver

from certificates.models import Certificate, CertificateBatch
from trajects import privacy


@receiver(privacy.personal_data)
def certificates_in_export(sender, person, **kwargs):
    certificates = Certificate.objects.filter(trajectory__participant=person)
    return {
        "certificates": [
            {
                "name_on_certificate": row.participant_name,
                "skills": row.skills,
                "issued_on": row.issued_on,
                "verification_code": row.code,
                "revoked": row.revoked_at is not None,
            }
            for row in certificates
        ]
    }


@receiver(privacy.audited_records)
def certificates_audited(sender, person, **kwargs):
    certificates = list(Certificate.objects.filter(trajectory__participant=person))
    return [
        *certificates,
        *CertificateBatch.objects.filter(certificates__in=certificates).distinct(),
    ]


@receiver(privacy.anonymising)
def certificates_keep_initials(sender, person, trajectory_ids, **kwargs):
    certificates = Certificate.objects.filter(trajectory_id__in=trajectory_ids)
    initials = " ".join(f"{name[0]}." for name in (person.first_name, person.last_name) if name)
    certificates.exclude(revoked_reason="").update(revoked_reason=privacy.REMOVED)
    Certificate.history.filter(trajectory_id__in=trajectory_ids).delete()
    printed = CertificateBatch.objects.filter(certificates__in=certificates).values("pk")
    batches, _ = CertificateBatch.objects.filter(pk__in=printed).delete()
    return {
        "certificates": certificates.update(participant_name=initials),
        "printed certificate batches": batches,
    }
