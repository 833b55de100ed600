from django.utils import timezone

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
