"""The business-unit manager (bedrijfsleider): the figures of their own unit, read only and
without names. `world.unit_manager` manages the unit of `world.department`; the unit of
`world.other_department` is another one, with other numbers."""

import io

import pytest
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    DepartmentFactory,
    EscalationFactory,
    MembershipFactory,
    TrajectoryFactory,
    many_participants,
)
from tests.trajects.test_reports import YEAR, pdf_text, queries_for
from trajects.models import Trajectory
from trajects.reports.figures import Per, Report
from wpo.models import Department, Person, Role


@pytest.fixture
def manager(client, world):
    """Two units whose figures differ: 2 active trajectories and an open escalation in the
    manager's unit, 5 and none in the other."""
    TrajectoryFactory.create_batch(3, department=world.other_department)
    EscalationFactory(department=world.department, trajectory=world.trajectory)
    client.force_login(world.unit_manager.user)
    return client


def now_table(response):
    return next(s.table for s in response.context["sections"] if s.table.name == "now")


def test_a_business_unit_manager_counts_their_units_trajectories_without_seeing_one(world):
    user = world.unit_manager.user
    in_unit = Trajectory.objects.filter(department__business_unit=world.department.business_unit)

    assert (
        set(Trajectory.objects.counted_for(user))
        == set(in_unit)
        == {
            world.trajectory,
            world.colleague_trajectory,
        }
    )
    assert not Trajectory.objects.visible_to(user).exists()
    assert not Person.objects.visible_to(user).exclude(pk=world.unit_manager.pk).exists()
    assert set(Department.objects.visible_to(user)) == {world.department}


def test_the_organisation_page_shows_the_manager_only_their_unit_with_its_own_figures(
    manager, client, world
):
    ours, theirs = world.department.business_unit, world.other_department.business_unit

    response = manager.get(reverse("trajects:organisation"))
    client.force_login(world.project_manager.user)
    everyone = client.get(reverse("trajects:organisation"))

    shown = now_table(response).rows
    assert [row[0] for row in shown] == [ours.name]
    assert shown == [row for row in now_table(everyone).rows if row[0] == ours.name]
    assert now_table(response).footer != now_table(everyone).footer
    page = response.content.decode()
    assert theirs.name not in page
    assert world.other_department.name not in page


def test_the_manager_opens_their_units_departments(manager, world):
    other = DepartmentFactory(business_unit=world.department.business_unit, name="Montage")
    TrajectoryFactory(department=other)

    response = manager.get(
        reverse("trajects:organisation_unit", args=[world.department.business_unit.pk])
    )

    assert [row[1] for row in now_table(response).rows] == [world.department.name, "Montage"]


def test_another_units_departments_are_not_found_for_the_manager(manager, world):
    url = reverse("trajects:organisation_unit", args=[world.other_department.business_unit.pk])

    assert manager.get(url).status_code == 404


def test_the_manager_cannot_choose_another_unit_in_the_filter(manager, world):
    response = manager.get(
        reverse("trajects:organisation"), {"unit": world.other_department.business_unit.pk}
    )

    assert response.status_code == 422
    assert world.other_department.business_unit.name not in response.content.decode()


def test_the_managers_workbook_holds_only_their_unit(manager, world):
    response = manager.get(reverse("trajects:organisation_export"), {"format": "xlsx"})

    workbook = load_workbook(io.BytesIO(response.getvalue()))
    cells = {str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row}
    assert world.department.name in cells
    assert world.other_department.name not in cells
    assert world.other_department.business_unit.name not in cells


def test_the_managers_csv_holds_only_their_unit(manager, world):
    response = manager.get(
        reverse("trajects:organisation_export"), {"format": "csv", "table": "now"}
    )

    text = response.getvalue().decode("utf-8-sig")
    assert world.department.name in text
    assert world.other_department.name not in text


def test_the_manager_is_not_offered_participant_names(manager, world):
    page = manager.get(reverse("trajects:organisation")).content.decode()

    assert 'name="names"' not in page
    assert "namen van deelnemers" not in page


def test_a_report_for_a_manager_names_nobody(world):
    report = Report(world.unit_manager.user, YEAR, per=Per.DEPARTMENT)

    assert not report.participants().exists()


@pytest.mark.usefixtures("weasyprint")
def test_the_managers_pdf_report_has_their_figures_and_no_names_even_when_asked(manager, world):
    response = manager.post(reverse("trajects:organisation_pdf"), {"names": "on"})

    text = pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert world.department.business_unit.name in text
    assert world.other_department.business_unit.name not in text
    assert world.trajectory.participant.last_name not in text


def test_the_manager_does_not_see_the_escalations_waiting(manager, world):
    page = manager.get(reverse("trajects:organisation")).content.decode()

    assert reverse("trajects:escalations") not in page


def test_the_manager_lands_on_the_organisation_page(client, world):
    client.force_login(world.unit_manager.user)

    response = client.get(reverse("home"))

    assert response["Location"] == reverse("trajects:organisation")


def test_the_managers_menu_shows_only_what_they_may_open(manager):
    page = manager.get(reverse("trajects:organisation")).content.decode()
    menu = page[page.index('class="site-nav"') : page.index("</nav>")]

    assert reverse("trajects:organisation") in menu
    for hidden in ("meetings", "escalations", "coach_home", "trainer_home"):
        assert reverse(f"trajects:{hidden}") not in menu


def test_a_business_unit_manager_belongs_to_a_business_unit_not_a_department(world):
    with pytest.raises(IntegrityError):
        MembershipFactory(person=world.trainer, role=Role.UNIT_MANAGER)


@pytest.mark.parametrize("name", ["organisation", "organisation_unit", "organisation_export"])
def test_the_managers_pages_take_the_same_queries_for_30_and_300_participants(manager, world, name):
    unit = world.department.business_unit
    url = reverse(f"trajects:{name}", args=[unit.pk] if name == "organisation_unit" else [])
    many_participants(world.department, world.trainer, world.coach, 30)
    small = queries_for(manager, url)
    many_participants(world.department, world.trainer, world.coach, 270)
    DepartmentFactory.create_batch(30, business_unit=unit)

    assert queries_for(manager, url) == small
