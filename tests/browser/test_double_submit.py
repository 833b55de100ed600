"""A trainer's phone double-taps "Opslaan" on a floor note: one note is stored. The button is
disabled while saving (data-hx-disabled-elt); the server holds too, when the same form reaches it
twice (a retried post)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from trajects.models import FloorNote
from wpo.idempotency import TOKEN_FIELD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_participant(phone, world):
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(f"/trajectories/{world.trajectory.pk}/")


def test_a_double_tap_on_save_stores_one_note(phone, world):
    open_participant(phone, world)
    form = phone.locator("#note-form form")
    form.locator("[name=text]").fill("Vroeg zelf om uitleg.")

    form.get_by_role("button", name="Notitie opslaan").dblclick()

    expect(phone.get_by_role("status").filter(has_text="Notitie opgeslagen.")).to_be_visible()
    expect(phone.locator("#timeline")).to_contain_text("Vroeg zelf om uitleg.")
    assert FloorNote.objects.count() == 1


def test_the_same_note_form_posted_twice_is_answered_twice_alike(phone, world):
    open_participant(phone, world)
    form = phone.locator("#note-form form")
    fields = {
        "csrfmiddlewaretoken": form.locator("[name=csrfmiddlewaretoken]").input_value(),
        TOKEN_FIELD: form.locator(f"[name={TOKEN_FIELD}]").input_value(),
        "text": "Eén keer bewaard.",
    }
    url = f"/trajectories/{world.trajectory.pk}/notes/"
    headers = {"HX-Request": "true", "Referer": phone.url}

    first = phone.request.post(url, form=fields, headers=headers)
    second = phone.request.post(url, form=fields, headers=headers)

    assert first.status == second.status == 200
    assert second.text() == first.text()
    assert re.search(rf'name="{TOKEN_FIELD}" value="(?!{fields[TOKEN_FIELD]})', first.text())
    assert FloorNote.objects.count() == 1
