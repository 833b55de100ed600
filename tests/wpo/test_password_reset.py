"""A forgotten password: a link by e-mail, in Dutch, that works once; the page after the request
is the same whether the address is known or not, and whether the mail server is up or not;
asking too often from one address stops."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from trajects import mail as queue
from trajects.models import Mail
from wpo.models import AuditAction, AuditEvent

RESET = reverse("password_reset")


@pytest.fixture
def user(db):
    return UserFactory(username="tineke", email="tineke@example.nl")


def without_tokens(response) -> str:
    """The page without its form tokens, which differ on every page."""
    return re.sub(r"[\w-]{32,}", "", response.content.decode())


def delivered() -> list:
    """What the worker sends of the e-mails waiting."""
    for pk in Mail.objects.unsent().values_list("pk", flat=True):
        queue.deliver.call(pk)
    return mail.outbox


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_the_login_page_offers_a_new_password(client, db):
    page = client.get(reverse("login")).content.decode()

    assert f'href="{RESET}"' in page
    assert "Wachtwoord vergeten?" in page


def test_a_known_address_gets_a_dutch_email_with_a_link(client, user):
    response = client.post(RESET, {"email": "Tineke@Example.nl"})

    assert response.status_code == 302
    [message] = delivered()
    assert message.to == ["tineke@example.nl"]
    assert "nieuw wachtwoord" in message.subject
    assert "tineke" in message.body
    assert "/accounts/reset/" in link_in(message)


def test_the_request_only_writes_the_email_down_for_the_worker(client, user):
    client.post(RESET, {"email": "tineke@example.nl"})

    assert mail.outbox == []
    assert Mail.objects.unsent().get().address == "tineke@example.nl"


def test_with_the_mail_server_down_the_page_is_the_usual_one_and_the_email_waits(
    client, user, settings
):
    good_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False

    response = client.post(RESET, {"email": "tineke@example.nl"}, follow=True)
    delivered()

    assert response.status_code == 200
    assert "Kijk in je e-mail" in response.content.decode()
    row = Mail.objects.get()
    assert not row.is_sent
    assert "ConnectionRefusedError" in row.error
    settings.EMAIL_BACKEND = good_backend
    [message] = delivered()
    assert message.to == ["tineke@example.nl"]
    assert "/accounts/reset/" in link_in(message)


def test_a_link_that_expired_while_the_mail_server_was_down_is_not_sent(client, user, settings):
    client.post(RESET, {"email": "tineke@example.nl"})
    too_late = timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    Mail.objects.update(created_at=too_late)

    outbox = delivered()

    row = Mail.objects.get()
    assert outbox == []
    assert row.has_failed
    assert row.body == ""


def test_once_sent_the_link_is_not_kept(client, user):
    client.post(RESET, {"email": "tineke@example.nl"})

    delivered()

    row = Mail.objects.get()
    assert row.is_sent
    assert row.body == ""


def test_an_unknown_address_gets_the_same_page_and_no_email(client, user):
    known = client.post(RESET, {"email": "tineke@example.nl"}, follow=True)
    unknown = client.post(RESET, {"email": "niemand@example.nl"}, follow=True)

    assert len(delivered()) == 1
    assert unknown.redirect_chain == known.redirect_chain
    assert without_tokens(unknown) == without_tokens(known)


def test_the_link_sets_a_new_password_once(client, user):
    client.post(RESET, {"email": "tineke@example.nl"})
    link = link_in(delivered()[0])
    form = client.get(link, follow=True)
    new = {"new_password1": "Werkvloer-2026-groen", "new_password2": "Werkvloer-2026-groen"}

    done = client.post(form.redirect_chain[-1][0], new, follow=True)

    assert "Je nieuwe wachtwoord is opgeslagen" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Werkvloer-2026-groen")
    again = client.get(link, follow=True).content.decode()
    assert "werkt niet meer" in again


def test_a_login_without_a_password_yet_gets_its_first_one(client, user):
    user.set_unusable_password()
    user.save()

    client.post(RESET, {"email": "tineke@example.nl"})

    assert len(delivered()) == 1


def test_asking_and_setting_are_in_the_audit_log(client, user):
    client.post(RESET, {"email": "tineke@example.nl"})
    form = client.get(link_in(delivered()[0]), follow=True)
    new = {"new_password1": "Werkvloer-2026-groen", "new_password2": "Werkvloer-2026-groen"}
    client.post(form.redirect_chain[-1][0], new)

    actions = set(AuditEvent.objects.filter(user=user).values_list("action", flat=True))
    assert {AuditAction.PASSWORD_RESET_ASKED, AuditAction.PASSWORD_RESET} <= actions


def test_a_weak_new_password_is_refused_in_dutch(client, user):
    client.post(RESET, {"email": "tineke@example.nl"})
    form = client.get(link_in(delivered()[0]), follow=True)

    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 422
    assert "te algemeen" in response.content.decode()


def test_a_broken_address_is_refused_keeping_what_was_typed(client, db):
    response = client.post(RESET, {"email": "tineke@@example"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "geldig e-mailadres" in page
    assert 'value="tineke@@example"' in page


def test_asking_too_often_from_one_address_stops_for_an_hour(client, user, settings):
    settings.WPO_PASSWORD_RESETS_PER_HOUR = 2
    for _ in range(2):
        client.post(RESET, {"email": "tineke@example.nl"})

    response = client.post(RESET, {"email": "tineke@example.nl"})

    assert response.status_code == 429
    assert "te vaak" in response.content.decode()
    assert len(delivered()) == 2


def test_the_privacy_page_is_readable_without_a_login(client, db):
    response = client.get(reverse("privacy"))

    assert response.status_code == 200
    assert "Privacy" in response.content.decode()
