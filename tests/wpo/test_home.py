import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.parametrize(
    "role, home",
    [
        ("trainer", "trajects:trainer_home"),
        ("coach", "trajects:coach_home"),
        ("project_manager", "trajects:organisation"),
        ("admin", "admin:index"),
    ],
)
def test_home_sends_each_role_to_its_own_page(client, world, role, home):
    client.force_login(world.user(role))

    response = client.get("/")

    assert response["Location"] == reverse(home)


def test_login_without_a_role_explains_what_to_do(client, db):
    client.force_login(UserFactory())

    response = client.get("/")

    assert response.status_code == 403
    assert "beheerder" in response.content.decode()


def test_login_page_is_dutch(client, db):
    response = client.get("/accounts/login/")

    assert '<html lang="nl">' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_logout_is_post_only(client, world):
    client.force_login(world.trainer.user)

    assert client.get("/accounts/logout/").status_code == 405


def test_logging_out_empties_the_device(client, world):
    client.force_login(world.trainer.user)

    response = client.post("/accounts/logout/")

    assert response["Clear-Site-Data"] == '"cache", "storage"'
