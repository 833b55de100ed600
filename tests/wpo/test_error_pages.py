import pytest
from django.test import Client
from django.urls import path

from tests.factories import UserFactory


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash)]


def test_unknown_page_gets_a_dutch_404_in_the_site_layout(client, world):
    client.force_login(world.trainer.user)

    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_page_for_another_role_gets_a_dutch_403(client, world):
    client.force_login(world.trainer.user)

    response = client.get("/organisation/")

    assert response.status_code == 403
    assert "Dit mag je niet doen" in response.content.decode()


@pytest.mark.urls(__name__)
def test_a_crash_shows_a_dutch_500_page_without_details(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    response = client.get("/crash/")

    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert "boom" not in response.content.decode()
