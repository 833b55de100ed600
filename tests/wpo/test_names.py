"""A name cannot be turned around with direction marks: "Jansen" with U+202E in front shows as
"nesnaJ", and a mark left open turns the rest of the line. Whatever way a name comes in, the
marks are not kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import InterestFactory, PersonFactory
from trajects.models import Interest
from wpo.models import Person

RLO, LRI, PDI, RLM = "\u202e", "\u2066", "\u2069", "\u200f"
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.mark.parametrize("control", list(CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_a_saved_name_keeps_no_direction_control(db, control):
    person = PersonFactory(first_name=f"{control}Noor", infix=f"van{control}", last_name="Haddou")

    person.refresh_from_db()
    assert (person.first_name, person.infix) == ("Noor", "van")


def test_the_name_is_clean_on_the_saved_object_too(db):
    person = PersonFactory(last_name=f"{RLO}Jansen")

    assert person.last_name == "Jansen"


def test_letters_of_other_scripts_stay(db):
    person = PersonFactory(first_name="محمد", last_name="Émilie-Zoë")

    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("محمد", "Émilie-Zoë")


def test_a_name_of_direction_controls_only_is_no_name(db):
    person = PersonFactory.build(last_name=RLO + RLM)

    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["department"])

    assert "last_name" in refused.value.error_dict


def test_a_bulk_update_keeps_no_direction_control(db):
    person = PersonFactory()

    Person.objects.filter(pk=person.pk).update(last_name=f"{LRI}Jansen{PDI}")

    person.refresh_from_db()
    assert person.last_name == "Jansen"


def register(client, world, last_name):
    client.force_login(world.trainer.user)
    data = {
        "department": world.department.pk,
        "first_name": "Noor",
        "last_name": last_name,
        "registered_on": timezone.localdate().isoformat(),
    }
    return client.post(reverse("trajects:interest_new"), data)


def test_the_interest_form_stores_the_name_without_marks(client, world):
    response = register(client, world, f"{RLO}uoddaH")

    assert response.status_code == 302
    assert Interest.objects.get().person.last_name == "uoddaH"


def test_marks_do_not_make_a_waiting_person_someone_new(client, world):
    InterestFactory(
        person=PersonFactory(department=world.department, first_name="Noor", last_name="Haddou")
    )

    response = register(client, world, f"Had{RLM}dou")

    assert response.status_code == 422
    assert "Noor Haddou staat al op de wachtlijst" in response.content.decode()


def test_the_admin_stores_the_name_without_marks(client, world):
    client.force_login(world.admin)
    data = {
        "first_name": f"Noor{RLM}",
        "infix": "",
        "last_name": f"{RLO}Haddou",
        "department": world.department.pk,
        "calendar_version": 0,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }

    response = client.post(reverse("admin:wpo_person_add"), data)

    assert response.status_code == 302
    assert Person.objects.filter(first_name="Noor", last_name="Haddou").exists()
