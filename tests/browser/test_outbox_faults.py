"""The faults of the shop floor, each with a clear Dutch answer and nothing lost: a planned
conversation moved elsewhere before the save arrived, two phones of one trainer with an outbox
each, a phone whose clock is wrong, an IndexedDB that is full, and a browser without service
workers. (A trajectory closed by someone else, and no IndexedDB at all: tests/browser/
test_outbox.py.)"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, _new_page, log_in
from tests.browser.test_accessibility import serious
from tests.browser.test_outbox import (
    QUEUED,
    eventually,
    open_participant,
    stored_notes,
    waiting,
    write_note,
)
from tests.factories import PASSWORD, GuidanceConversationFactory
from trajects.models import GuidanceConversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_phone(browser, live_server, settings):
    context, page = _new_page(browser, live_server, settings, **PHONE)
    yield page
    context.close()


def record_conversation(phone, account):
    form = phone.locator("#conversations form").first
    if not form.is_visible():  # open when a conversation is due, folded away otherwise
        phone.get_by_text("Gesprek vastleggen").first.click()
    form.locator("[name=participant_account]").fill(account)
    form.locator("[name=trainer_observations]").fill("Controleerde eerst de instellingen.")
    form.get_by_role("button", name="Gesprek opslaan").click()


def held(account):
    return GuidanceConversation.objects.held().filter(participant_account=account)


@pytest.mark.parametrize("mover", ["the trainer's other phone", "the coach"])
def test_a_resend_for_a_plan_moved_meanwhile_says_so_and_is_stored_once(
    phone, other_phone, world, mover
):
    planned = GuidanceConversationFactory(
        trajectory=world.trajectory, planned_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    open_participant(phone, world)
    phone.context.set_offline(True)
    record_conversation(phone, "Zelf de machine omgesteld.")
    expect(phone.locator("#conversations")).to_contain_text(QUEUED)

    user = world.trainer.user if mover == "the trainer's other phone" else world.coach.user
    log_in(other_phone, user.username, PASSWORD)
    other_phone.goto(f"/conversations/{planned.pk}/planned/")
    next_week = timezone.localtime() + datetime.timedelta(days=7)
    other_phone.locator("[name=planned_at]").fill(next_week.strftime("%Y-%m-%dT10:00"))
    other_phone.get_by_role("button", name="Gesprek verzetten").click()
    expect(other_phone.locator(".message").first).to_contain_text("Het gesprek is verzet.")

    phone.context.set_offline(False)

    notice = phone.locator(".outbox-notice")
    expect(notice).to_contain_text("Later verstuurd en opgeslagen.")
    expect(notice).to_contain_text("intussen verzet naar")
    expect(notice).to_contain_text("blijft gepland")
    assert serious(phone) == []
    expect(waiting(phone)).to_be_hidden()
    assert eventually(held("Zelf de machine omgesteld.").count, 1) == 1
    planned.refresh_from_db()
    assert planned.held_at is None
    assert timezone.localtime(planned.planned_at).date() == next_week.date()

    phone.reload()  # the app opens again: the notice stays until read, nothing is sent twice
    notice.get_by_role("button", name="Begrepen").click()

    expect(notice).to_have_count(0)
    phone.reload()
    expect(notice).to_have_count(0)
    assert held("Zelf de machine omgesteld.").count() == 1


def test_two_phones_of_one_trainer_each_send_their_own_outbox_once(phone, other_phone, world):
    open_participant(phone, world)
    open_participant(other_phone, world)
    for device, text in ((phone, "Van de eerste telefoon."), (other_phone, "Van de tweede.")):
        device.context.set_offline(True)
        write_note(device, text)
        expect(waiting(device)).to_have_text("1 opslag nog niet verzonden")

    phone.context.set_offline(False)
    expect(waiting(phone)).to_be_hidden()
    other_phone.context.set_offline(False)
    expect(waiting(other_phone)).to_be_hidden()
    phone.reload()
    other_phone.reload()

    assert eventually(lambda: stored_notes("Van de eerste telefoon."), 1) == 1
    assert stored_notes("Van de tweede.") == 1
    expect(waiting(phone)).to_be_hidden()
    expect(waiting(other_phone)).to_be_hidden()


def test_a_phone_with_a_wrong_clock_stores_the_conversation_at_the_servers_time(phone, world):
    phone.clock.set_fixed_time(datetime.datetime(2019, 3, 1, 8, 0))
    open_participant(phone, world)
    phone.context.set_offline(True)
    record_conversation(phone, "Met een klok die achterloopt.")
    expect(phone.locator("#conversations")).to_contain_text(QUEUED)

    phone.context.set_offline(False)

    expect(waiting(phone)).to_be_hidden()
    assert eventually(held("Met een klok die achterloopt.").count, 1) == 1
    conversation = held("Met een klok die achterloopt.").get()
    assert timezone.localtime(conversation.held_at).date() == timezone.localdate()
    assert abs(conversation.recorded_at - timezone.now()) < datetime.timedelta(minutes=5)


# What a browser does when the device's storage for this site is full.
QUOTA_FULL = """
IDBObjectStore.prototype.put = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};"""


def test_a_full_indexeddb_keeps_the_text_in_the_form_to_save_once_online(phone, world):
    phone.context.add_init_script(QUOTA_FULL)
    open_participant(phone, world)
    phone.context.set_offline(True)

    write_note(phone, "Niet kwijtraken, ook niet met een volle telefoon.")

    expect(phone.locator("#note-form")).to_contain_text(
        "Niet verzonden en niet bewaard: kopieer je tekst."
    )
    text = phone.locator("#note-form [name=text]")
    expect(text).to_have_value("Niet kwijtraken, ook niet met een volle telefoon.")

    phone.context.set_offline(False)
    phone.locator("#note-form").get_by_role("button", name="Notitie opslaan").click()

    expect(text).to_have_value("")
    assert stored_notes("Niet kwijtraken, ook niet met een volle telefoon.") == 1


@pytest.fixture
def phone_without_service_workers(browser, live_server, settings):
    context, page = _new_page(browser, live_server, settings, service_workers="block", **PHONE)
    yield page
    context.close()


def test_without_service_workers_saving_works_online_and_the_outbox_still_waits(
    phone_without_service_workers, world
):
    phone = phone_without_service_workers
    errors = []
    phone.on("pageerror", lambda error: errors.append(error))
    open_participant(phone, world)

    write_note(phone, "Online opgeslagen.")
    expect(phone.locator("#note-form")).to_contain_text("Notitie opgeslagen.")
    phone.context.set_offline(True)
    write_note(phone, "Offline geschreven.")
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)
    phone.context.set_offline(False)

    expect(waiting(phone)).to_be_hidden()
    assert stored_notes("Online opgeslagen.") == 1
    assert eventually(lambda: stored_notes("Offline geschreven."), 1) == 1
    assert phone.evaluate("navigator.serviceWorker?.controller ?? null") is None
    assert errors == []
