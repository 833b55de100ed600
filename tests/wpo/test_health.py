from unittest import mock

from django.db import OperationalError


def test_health_answers_ok_without_login(client, db):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_down(client, db):
    with mock.patch("wpo.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_health_is_never_cached(client, db):
    assert "no-cache" in client.get("/health/")["Cache-Control"]
