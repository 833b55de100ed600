"""The administrator adds people, makes logins and gives roles on pages made for it, and imports
employees from a CSV file: checked line by line first, and imported all or not at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import BusinessUnitFactory, DepartmentFactory, PersonFactory
from wpo import people
from wpo.models import AuditAction, AuditEvent, Membership, Person, Role
from wpo.services import StepRefused

HEADER = "naam;personeelsnummer;afdeling;e-mail\n"


def csv_file(*lines: str, header=HEADER, encoding="utf-8") -> bytes:
    return (header + "".join(f"{line}\n" for line in lines)).encode(encoding)


def refusal(step, *args, **kwargs) -> str:
    with pytest.raises(StepRefused) as caught:
        step(*args, **kwargs)
    return " ".join(caught.value.messages)


# the import, without a page


@pytest.mark.parametrize(
    "name, parts",
    [
        ("Anna de Vries", ("Anna", "de", "Vries")),
        ("Jan van der Berg", ("Jan", "van der", "Berg")),
        ("Anna Maria Bakker", ("Anna Maria", "", "Bakker")),
        ("Fatima el Amrani", ("Fatima", "el", "Amrani")),
    ],
)
def test_a_dutch_name_splits_into_first_name_infix_and_last_name(name, parts):
    assert people.split_name(name) == parts


def test_a_dry_run_checks_every_line_and_imports_nothing(world):
    report = people.import_employees(
        csv_file("Anna de Vries;1001;Inpak;anna@example.nl", "Kees Smit;1002;Groen;"),
        dry_run=True,
    )

    assert report.ok
    assert len(report.new) == 2
    assert not Person.objects.filter(employee_number__in=["1001", "1002"]).exists()


def test_an_import_adds_the_employees_with_their_department_and_history(world):
    report = people.import_employees(
        csv_file("Anna de Vries;1001;Inpak;anna@example.nl"), dry_run=False, by=world.admin
    )

    anna = Person.objects.get(employee_number="1001")
    assert report.imported == 1
    assert (anna.full_name, anna.department, anna.email) == (
        "Anna de Vries",
        world.department,
        "anna@example.nl",
    )
    assert anna.history.get().history_user == world.admin
    assert AuditEvent.objects.filter(action=AuditAction.PEOPLE_IMPORTED).count() == 1


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Anna de Vries;1001;Inpak", "4"),
        ("Anna de Vries;;Inpak;", "personeelsnummer ontbreekt"),
        ("Anna de Vries;1001;Magazijn;", "geen afdeling “Magazijn”"),
        ("Anna de Vries;1001;Inpak;anna-at-example", "geen e-mailadres"),
        ("Vries;1001;Inpak;", "voornaam en een achternaam"),
    ],
)
def test_a_bad_line_is_refused_with_the_reason_and_nothing_is_imported(world, line, reason):
    report = people.import_employees(
        csv_file("Kees Smit;1002;Groen;", line), dry_run=False, by=world.admin
    )

    [refused] = report.errors
    assert refused.number == 3
    assert reason in refused.error
    assert not Person.objects.filter(employee_number="1002").exists()


def test_a_duplicate_employee_number_in_the_file_is_refused(world):
    report = people.import_employees(
        csv_file("Kees Smit;1002;Groen;", "Anna de Vries;1002;Inpak;"), dry_run=False
    )

    [refused] = report.errors
    assert "ook op regel 2" in refused.error
    assert not Person.objects.filter(employee_number="1002").exists()


def test_an_employee_number_of_someone_else_is_refused(world):
    PersonFactory(first_name="Piet", last_name="Klaassen", employee_number="1002")

    report = people.import_employees(csv_file("Kees Smit;1002;Groen;"), dry_run=True)

    assert "Piet Klaassen" in report.errors[0].error


def test_a_file_imported_before_leaves_the_known_employees_as_they_are(world):
    people.import_employees(csv_file("Kees Smit;1002;Groen;"), dry_run=False)

    report = people.import_employees(
        csv_file("Kees Smit;1002;Groen;", "Anna de Vries;1001;Inpak;"), dry_run=False
    )

    assert report.imported == 1
    assert Person.objects.filter(employee_number="1002").count() == 1


def test_a_line_in_another_encoding_is_refused_as_unreadable(world):
    raw = csv_file("Kees Smit;1002;Groen;") + "José Álvarez;1003;Inpak;\n".encode("cp1252")

    report = people.import_employees(raw, dry_run=False)

    [refused] = report.errors
    assert "CSV UTF-8" in refused.error
    assert not Person.objects.filter(employee_number="1002").exists()


def test_a_wrong_column_refuses_the_file(world):
    report = people.import_employees(
        csv_file("Kees Smit;1002;Groen;", header="naam;nummer;afdeling;e-mail\n"), dry_run=True
    )

    assert "personeelsnummer" in report.problem
    assert not report.ok


def test_commas_and_english_columns_and_a_byte_order_mark_are_understood(world):
    raw = b"\xef\xbb\xbf" + csv_file(
        "Kees Smit,1002,Groen,kees@example.nl", header="Name,Employee number,Department,E-mail\n"
    )

    assert people.import_employees(raw, dry_run=True).ok


def test_a_department_name_used_twice_is_named_with_its_business_unit(world):
    DepartmentFactory(name="Inpak", business_unit=BusinessUnitFactory(name="Noord"))

    ambiguous = people.import_employees(csv_file("Kees Smit;1002;Inpak;"), dry_run=True)
    named = people.import_employees(csv_file("Kees Smit;1002;Noord / Inpak;"), dry_run=True)

    assert "bedrijfsonderdeel / afdeling" in ambiguous.errors[0].error
    assert named.ok


# people and roles, one by one


def test_a_person_added_with_a_login_name_gets_a_login_without_a_password(world):
    person = people.add_person(
        first_name="Sara",
        last_name="Bos",
        department=world.department,
        email="sara@example.nl",
        username="sbos",
        by=world.admin,
    )

    assert person.user.username == "sbos"
    assert person.user.email == "sara@example.nl"
    assert not person.user.has_usable_password()
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_ADDED).count() == 1


def test_a_login_needs_an_email_address(world):
    message = refusal(
        people.add_person,
        first_name="Sara",
        last_name="Bos",
        department=world.department,
        username="sbos",
    )

    assert "e-mailadres" in message


def test_a_role_is_given_and_taken_with_its_history(world):
    person = people.add_person(
        first_name="Sara",
        last_name="Bos",
        department=world.department,
        email="sara@example.nl",
        username="sbos",
    )

    membership = people.give_role(
        person, role=Role.TRAINER, department=world.department, by=world.admin
    )
    people.take_role(membership, by=world.admin)

    assert not Membership.objects.filter(person=person).exists()
    assert [row.history_type for row in Membership.history.filter(person=person)] == ["-", "+"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.ROLE_GIVEN, AuditAction.ROLE_TAKEN} <= actions


def test_a_role_is_for_someone_with_a_login(world):
    person = PersonFactory(department=world.department)

    message = refusal(people.give_role, person, role=Role.COACH, department=world.department)

    assert "eerst een inlog" in message


def test_a_trainer_role_needs_a_department(world):
    message = refusal(people.give_role, world.coach, role=Role.TRAINER, department=None)

    assert "afdeling" in message


def test_a_business_unit_manager_role_needs_a_business_unit(world):
    message = refusal(people.give_role, world.coach, role=Role.UNIT_MANAGER, department=None)

    assert "bedrijfsonderdeel" in message


def test_a_business_unit_manager_manages_the_unit_and_no_department(world):
    unit = world.department.business_unit

    membership = people.give_role(
        world.coach, role=Role.UNIT_MANAGER, department=world.department, business_unit=unit
    )

    assert (membership.business_unit, membership.department) == (unit, None)


# the pages


@pytest.fixture
def admin(client, world):
    client.force_login(world.admin)
    return client


def test_the_people_page_lists_who_works_with_the_app_and_their_roles(admin, world):
    page = admin.get(reverse("people")).content.decode()

    assert world.coach.full_name in page
    assert "Coach · Inpak" in page
    assert world.trajectory.participant.full_name not in page


@pytest.mark.parametrize("count", [2, 20])
def test_the_people_page_runs_the_same_queries_for_few_and_many(
    admin, world, count, django_assert_num_queries
):
    for _ in range(count):
        people.give_role(
            people.add_person(
                first_name="Extra",
                last_name="Trainer",
                department=world.department,
                email="x@example.nl",
                username=f"extra{_}",
            ),
            role=Role.TRAINER,
            department=world.department,
        )

    with django_assert_num_queries(5):
        admin.get(reverse("people"))


def test_the_administrator_gives_a_role_on_the_persons_page(admin, world):
    url = reverse("person_roles", args=[world.trainer.pk])

    response = admin.post(url, {"give": "1", "role": "coach", "department": world.department.pk})

    assert response.status_code == 302
    assert world.trainer.memberships.filter(role=Role.COACH).exists()


def test_the_administrator_makes_someone_manager_of_a_business_unit(admin, world):
    url = reverse("person_roles", args=[world.trainer.pk])
    unit = world.department.business_unit

    response = admin.post(url, {"give": "1", "role": "unit_manager", "business_unit": unit.pk})

    assert response.status_code == 302
    assert world.trainer.memberships.filter(role=Role.UNIT_MANAGER, business_unit=unit).exists()
    assert unit.name in admin.get(reverse("people")).content.decode()


def test_a_refused_role_comes_back_with_the_reason(admin, world):
    url = reverse("person_roles", args=[world.trainer.pk])

    response = admin.post(url, {"give": "1", "role": "trainer", "department": ""})

    assert response.status_code == 422
    assert "afdeling" in response.content.decode()


def test_the_import_page_shows_the_refused_line_and_keeps_the_file_out(admin, world):
    upload = SimpleUploadedFile(
        "medewerkers.csv", csv_file("Kees Smit;1002;Groen;", "Anna de Vries;1001;Magazijn;")
    )

    response = admin.post(reverse("people_import"), {"file": upload})

    assert response.status_code == 422
    page = response.content.decode()
    assert "1 regel is geweigerd" in page
    assert "Magazijn" in page
    assert 'name="checked"' not in page


def test_a_checked_file_is_imported_from_the_page_without_a_second_upload(admin, world):
    upload = SimpleUploadedFile("medewerkers.csv", csv_file("Kees Smit;1002;Groen;"))
    checked = admin.post(reverse("people_import"), {"file": upload})
    token = checked.context["checked"]

    response = admin.post(reverse("people_import"), {"checked": token, "import": "1"})

    assert response.status_code == 302
    assert Person.objects.filter(employee_number="1002").exists()


def test_a_coach_may_not_use_the_people_pages(client, world):
    client.force_login(world.coach.user)

    assert client.get(reverse("people_import")).status_code == 403
