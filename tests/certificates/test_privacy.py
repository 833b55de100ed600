from django.urls import reverse

from certificates.models import CertificateBatch
from tests.factories import CertificateBatchFactory, CertificateFactory
from trajects import privacy


def test_anonymising_deletes_the_printed_batches_that_name_the_participant(world):
    certificate = CertificateFactory(trajectory=world.trajectory)
    printed = CertificateBatchFactory(requested_by=world.coach.user)
    printed.certificates.add(certificate, CertificateFactory(trajectory=world.other_trajectory))
    others = CertificateBatchFactory(requested_by=world.coach.user)
    others.certificates.add(CertificateFactory(trajectory=world.colleague_trajectory))

    privacy.anonymise(world.trajectory.participant)

    assert list(CertificateBatch.objects.all()) == [others]


def test_the_export_lists_who_downloaded_the_participants_certificate(client, world):
    certificate = CertificateFactory(trajectory=world.trajectory)
    someone_elses = CertificateFactory(trajectory=world.colleague_trajectory)
    client.force_login(world.coach.user)
    for downloaded in (certificate, someone_elses):
        assert client.get(reverse("certificates:download", args=[downloaded.pk])).status_code == 200

    data = privacy.export(world.trajectory.participant)

    assert [row["who"] for row in data["audit_log"]] == [world.coach.full_name]
