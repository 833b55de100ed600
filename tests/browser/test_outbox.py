"""The shop floor never loses work: a save that cannot reach the server waits in the phone's
outbox and is sent when the network is back, stored exactly once; a refused resend is shown
with the text kept; a draft survives a reload while offline; logging out empties the device."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import serious
from tests.factories import PASSWORD
from trajects.models import FloorNote, GuidanceConversation, Phase, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT_KEPT = "Object.keys(localStorage).some(k => k.startsWith('wpo-draft:'))"
QUEUED = "Niet verzonden: wordt verstuurd zodra er weer netwerk is."


def open_participant(phone, world):
    log_in(phone, world.trainer.user.username, PASSWORD)
    phone.goto(f"/trajectories/{world.trajectory.pk}/")


def write_note(phone, text):
    form = phone.locator("#note-form form")
    form.locator("[name=text]").fill(text)
    form.get_by_role("button", name="Notitie opslaan").click()


def waiting(phone):
    return phone.locator("#outbox")


def stored_notes(text):
    return FloorNote.objects.filter(text=text).count()


def eventually(count, expected, timeout=10):
    """The outbox sends in the background: wait for the database to show it."""
    deadline = timezone.now() + timezone.timedelta(seconds=timeout)
    while count() != expected and timezone.now() < deadline:
        time.sleep(0.1)
    return count()


def test_a_note_saved_offline_is_sent_once_the_network_is_back(phone, world):
    open_participant(phone, world)
    phone.context.set_offline(True)

    write_note(phone, "Werkte vandaag zelfstandig aan de lijn.")

    expect(phone.locator("#note-form")).to_contain_text(QUEUED)
    expect(waiting(phone)).to_have_text("1 opslag nog niet verzonden")
    assert stored_notes("Werkte vandaag zelfstandig aan de lijn.") == 0

    phone.context.set_offline(False)

    expect(waiting(phone)).to_be_hidden()
    assert eventually(lambda: stored_notes("Werkte vandaag zelfstandig aan de lijn."), 1) == 1


def test_a_conversation_saved_offline_is_sent_once_the_network_is_back(phone, world):
    open_participant(phone, world)
    phone.context.set_offline(True)

    phone.get_by_text("Gesprek vastleggen").first.click()
    form = phone.locator("#conversations form").first
    form.locator("[name=participant_account]").fill("Zelf de machine omgesteld.")
    form.locator("[name=trainer_observations]").fill("Controleerde eerst de instellingen.")
    form.get_by_role("button", name="Gesprek opslaan").click()

    expect(phone.locator("#conversations")).to_contain_text(QUEUED)
    phone.context.set_offline(False)

    expect(waiting(phone)).to_be_hidden()
    held = GuidanceConversation.objects.filter(participant_account="Zelf de machine omgesteld.")
    assert eventually(held.count, 1) == 1


def test_a_note_whose_answer_was_lost_is_stored_once_when_sent_again(phone, world):
    """The server stored the note, but the phone got a 503 from the gateway: the outbox sends
    it again with the same one-time token, and the server answers without storing it twice."""
    open_participant(phone, world)
    opened_under_the_service_worker(phone)
    answered = []

    def lose_the_first_answer(route):
        if answered:
            route.continue_()
            return
        answered.append(route.fetch().status)
        route.fulfill(status=503, body="Even niet bereikbaar")

    # the context routes what the service worker sends on too; the page only its own requests
    phone.context.route("**/notes/", lose_the_first_answer)
    write_note(phone, "Vroeg om hulp bij de storing.")
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)
    assert answered == [200]
    assert stored_notes("Vroeg om hulp bij de storing.") == 1

    phone.reload()  # the app opens again: the outbox is sent

    expect(waiting(phone)).to_be_hidden()
    assert len(answered) == 1
    assert stored_notes("Vroeg om hulp bij de storing.") == 1


def test_a_resend_after_the_trajectory_was_closed_is_shown_with_the_text_kept(phone, world):
    open_participant(phone, world)
    phone.context.set_offline(True)
    write_note(phone, "Was op tijd en netjes.")
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)
    Trajectory.objects.filter(pk=world.trajectory.pk).update(
        phase=Phase.CLOSING, closed_on=timezone.localdate()
    )

    phone.context.set_offline(False)
    expect(phone.locator("#note-form .outbox-message")).to_contain_text("afgelopen")
    phone.reload()  # the note form is gone now: the refusal is shown with the text

    refusal = phone.locator(".outbox-refusal")
    expect(refusal).to_contain_text("Niet opgeslagen bij het versturen")
    expect(refusal).to_contain_text("afgelopen")
    expect(refusal.locator("blockquote")).to_have_text("Was op tijd en netjes.")
    expect(waiting(phone)).to_have_text("1 opslag nog niet verzonden")
    assert stored_notes("Was op tijd en netjes.") == 0


def test_a_refused_resend_comes_back_in_its_form_to_correct(phone, world):
    open_participant(phone, world)
    phone.context.set_offline(True)
    write_note(phone, "   ")  # nothing written: the server refuses
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)

    phone.context.set_offline(False)

    form = phone.locator("#note-form form")
    expect(form.locator(".outbox-message")).to_contain_text("Niet opgeslagen bij het versturen")
    expect(form.locator(".outbox-message")).to_be_focused()
    expect(form.locator("[name=text]")).to_have_value("   ")
    expect(waiting(phone)).to_have_text("1 opslag nog niet verzonden")

    write_note(phone, "Verbeterd en verstuurd.")

    expect(waiting(phone)).to_be_hidden()
    assert stored_notes("Verbeterd en verstuurd.") == 1


def until(phone, script):
    """Wait for a script to be true in the page (wait_for_function would need eval, which the
    Content-Security-Policy forbids)."""
    for _ in range(100):
        if phone.evaluate(script):
            return
        time.sleep(0.1)
    raise AssertionError(f"never true: {script}")


def opened_under_the_service_worker(phone):
    """The page is opened again once its service worker runs, as on a phone that opened the app
    before. (A page the service worker takes over while open sends its posts past the browser
    context's routes now and then.)"""
    phone.evaluate("navigator.serviceWorker.ready")
    phone.reload()


def cached_for_reading_offline(phone):
    """The service worker runs and has kept this page (as the trainer's phone would have, after
    opening it once before)."""
    opened_under_the_service_worker(phone)
    until(phone, "caches.open('wpo-pages').then(c => c.match(location.href)).then(Boolean)")


def test_a_reload_while_offline_keeps_the_draft(phone, world):
    open_participant(phone, world)
    cached_for_reading_offline(phone)
    phone.locator("#note-form [name=text]").fill("Half getypt, toen viel het netwerk weg.")
    until(phone, DRAFT_KEPT)
    phone.context.set_offline(True)

    phone.reload()

    expect(phone.locator("#offline-note")).to_contain_text("Offline: laatst bijgewerkt om")
    expect(phone.locator("#note-form [name=text]")).to_have_value(
        "Half getypt, toen viel het netwerk weg."
    )


def test_a_page_read_offline_has_no_serious_accessibility_problem(phone, world):
    open_participant(phone, world)
    cached_for_reading_offline(phone)
    phone.context.set_offline(True)
    phone.reload()
    write_note(phone, "Offline geschreven.")
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)

    assert serious(phone) == []


def test_without_indexeddb_the_text_stays_in_the_form(phone, world):
    phone.context.add_init_script("Object.defineProperty(window, 'indexedDB', {value: undefined})")
    open_participant(phone, world)
    phone.context.set_offline(True)

    write_note(phone, "Niet kwijtraken.")

    expect(phone.locator("#note-form")).to_contain_text(
        "Niet verzonden en niet bewaard: kopieer je tekst."
    )
    expect(phone.locator("#note-form [name=text]")).to_have_value("Niet kwijtraken.")


def outbox_size(phone):
    return phone.evaluate(
        """() => new Promise((resolve) => {
            const request = indexedDB.open("wpo", 1);
            request.onupgradeneeded = () =>
                request.result.createObjectStore("outbox", {keyPath: "id", autoIncrement: true});
            request.onsuccess = () => {
                const count = request.result.transaction("outbox").objectStore("outbox").count();
                count.onsuccess = () => { request.result.close(); resolve(count.result); };
            };
        })"""
    )


def test_logging_out_empties_the_device_after_a_warning(phone, world):
    open_participant(phone, world)
    cached_for_reading_offline(phone)
    phone.context.route("**/notes/", lambda route: route.fulfill(status=503))
    write_note(phone, "Nog niet verzonden.")
    expect(waiting(phone)).to_have_text("1 opslag nog niet verzonden")
    phone.locator("#note-form [name=text]").fill("Een concept.")
    until(phone, DRAFT_KEPT)
    warnings = []
    phone.once("dialog", lambda dialog: warnings.append(dialog.message) or dialog.accept())

    phone.get_by_role("button", name="Uitloggen").click()

    expect(phone.get_by_role("heading", name="Inloggen")).to_be_visible()
    assert warnings == ["Er is 1 opslag nog niet verzonden. Toch uitloggen?"]
    assert outbox_size(phone) == 0
    assert phone.evaluate("caches.keys()") == []
    assert phone.evaluate("Object.keys(localStorage)") == []


def test_a_login_that_ran_out_is_asked_for_and_then_the_outbox_goes_on(phone, world):
    open_participant(phone, world)
    phone.context.set_offline(True)
    write_note(phone, "Geschreven terwijl de login verliep.")
    expect(phone.locator("#note-form")).to_contain_text(QUEUED)
    Session.objects.all().delete()

    phone.context.set_offline(False)
    phone.get_by_role("link", name="Log opnieuw in om te versturen.").click()
    phone.fill("input[name=username]", world.trainer.user.username)
    phone.fill("input[name=password]", PASSWORD)
    phone.get_by_role("button", name="Inloggen").click()

    expect(phone).to_have_url(re.compile(rf"/trajectories/{world.trajectory.pk}/$"))
    expect(waiting(phone)).to_be_hidden()
    assert eventually(lambda: stored_notes("Geschreven terwijl de login verliep."), 1) == 1
