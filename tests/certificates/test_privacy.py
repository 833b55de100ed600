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
