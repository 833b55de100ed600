import datetime

from django.utils import timezone

from certificates import services
from certificates.models import VerificationMiss
from tests.factories import CertificateFactory


def test_valid_certificate_shows_name_skills_and_date(client, db):
    certificate = CertificateFactory()

    page = client.get(f"/certificates/verify/{certificate.code}/").content.decode()

    assert "geldig" in page
    assert certificate.participant_name in page
    assert "Samenwerken" in page


def test_code_is_accepted_in_lower_case(client, db):
    certificate = CertificateFactory()

    page = client.get(f"/certificates/verify/{certificate.code.lower()}/").content.decode()

    assert certificate.participant_name in page


def test_revoked_certificate_says_so_and_shows_no_details(client, db):
    certificate = CertificateFactory(revoked_at=timezone.now(), revoked_reason="Fout in naam")

    page = client.get(f"/certificates/verify/{certificate.code}/").content.decode()

    assert "ingetrokken" in page
    assert certificate.participant_name not in page


def test_unknown_code_gets_a_friendly_page(client, db):
    response = client.get("/certificates/verify/AAAA-BBBB-CCCC/")

    assert response.status_code == 200
    assert "Deze code kennen we niet" in response.content.decode()


def test_a_certificate_verifies_as_revoked_once_revoked(client, closing):
    certificate = services.issue_certificate(
        closing, issued_on=timezone.localdate(), place="U", by=closing.coach.user
    )
    url = f"/certificates/verify/{certificate.code}/"
    assert "Dit certificaat is geldig" in client.get(url).content.decode()

    services.revoke_certificate(certificate, reason="Fout in de naam", by=closing.coach.user)

    assert "ingetrokken" in client.get(url).content.decode()


def guess(client, times, address="203.0.113.9"):
    for _ in range(times):
        response = client.get("/certificates/verify/AAAA-BBBB-CCCC/", REMOTE_ADDR=address)
    return response


def test_guessing_codes_is_stopped_with_a_friendly_page(client, db, settings):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3

    response = guess(client, 4)

    assert response.status_code == 429
    assert "te veel onbekende codes" in response.content.decode()


def test_a_guesser_is_stopped_for_real_codes_too(client, db, settings):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3
    certificate = CertificateFactory()
    guess(client, 3)

    response = client.get(f"/certificates/verify/{certificate.code}/", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429


def test_another_address_can_still_verify(client, db, settings):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3
    guess(client, 3)

    assert guess(client, 1, address="198.51.100.7").status_code == 200


def test_checking_real_codes_is_never_stopped(client, db, settings):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3
    certificate = CertificateFactory()

    for _ in range(5):
        response = client.get(f"/certificates/verify/{certificate.code}/")

    assert response.status_code == 200


def test_misses_older_than_an_hour_are_forgotten(client, db, settings):
    settings.WPO_VERIFY_MISSES_PER_HOUR = 3
    guess(client, 3)
    VerificationMiss.objects.update(at=timezone.now() - datetime.timedelta(minutes=61))

    assert guess(client, 1).status_code == 200


def test_the_address_is_not_kept(client, db):
    guess(client, 1)

    assert "203.0.113.9" not in VerificationMiss.objects.get().client
