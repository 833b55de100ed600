"""The project manager's figures: what counts in which period, durations without pauses, the
period and business-unit filter, the PDF report, and a fixed number of queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assignments.models import Level
from tests.factories import (
    AssignmentProgressFactory,
    CertificateFactory,
    DepartmentFactory,
    EscalationFactory,
    PauseFactory,
    SkillFactory,
    TrajectoryFactory,
    TrajectorySkillFactory,
    many_participants,
)
from trajects.models import AssignmentProgress, Pause, Phase, ProgressStatus, Trajectory
from trajects.reports import months
from trajects.reports.charts import PLOT_WIDTH, bar_chart
from trajects.reports.figures import Period, Report
from trajects.reports.sections import key_figures, sections
from wpo.models import AuditAction, AuditEvent

YEAR = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "2025")
Q1 = datetime.date(2025, 2, 10)
Q3 = datetime.date(2025, 8, 20)


def report(world, period=YEAR, unit=None) -> Report:
    return Report(world.project_manager.user, period, unit)


def row_of(rows, department):
    return next(row for row in rows if row.pk == department.pk)


def closed(world, start, end, **extra):
    return TrajectoryFactory(
        department=world.department,
        agreed_start=start,
        agreed_end=start + datetime.timedelta(days=200),
        phase=Phase.CLOSING,
        closed_on=end,
        **extra,
    )


def passed(world, introduced_on, passed_on, level=Level.A, skill=None, **extra):
    """An assignment passed by a new participant of `world.department`."""
    chosen = TrajectorySkillFactory(
        trajectory__department=world.department, **({"skill": skill} if skill else {})
    )
    return AssignmentProgressFactory(
        trajectory_skill=chosen,
        assignment__level=level,
        assignment__number="ABC".index(level) * 2 + 1,
        status=ProgressStatus.PASSED,
        introduced_on=introduced_on,
        passed_on=passed_on,
        **extra,
    )


# Periods and quarters


def test_a_period_knows_the_quarters_it_touches():
    period = Period(datetime.date(2025, 2, 15), datetime.date(2025, 7, 1))

    assert period.quarters() == [
        datetime.date(2025, 1, 1),
        datetime.date(2025, 4, 1),
        datetime.date(2025, 7, 1),
    ]


def test_a_trajectory_started_in_q1_and_closed_in_q3_counts_in_both_quarters(world):
    closed(world, Q1, Q3)

    quarters = {row["quarter"].month: row for row in report(world).quarters}

    assert (quarters[1]["started"], quarters[1]["closed"]) == (1, 0)
    assert (quarters[7]["started"], quarters[7]["closed"]) == (0, 1)
    assert quarters[4] == {
        "quarter": datetime.date(2025, 4, 1),
        **dict.fromkeys(("started", "closed", "stopped"), 0),
    }


def test_the_period_includes_its_first_and_last_day_and_nothing_outside(world):
    TrajectoryFactory(department=world.department, agreed_start=datetime.date(2024, 12, 31))
    TrajectoryFactory(department=world.department, agreed_start=datetime.date(2025, 1, 1))
    closed(world, datetime.date(2025, 3, 1), datetime.date(2025, 12, 31))
    closed(world, datetime.date(2025, 3, 1), datetime.date(2026, 1, 1))

    department = row_of(report(world).departments, world.department)

    assert (department.started, department.closed) == (3, 1)


def test_a_trajectory_that_ran_into_the_period_counts_as_running_in_it(world):
    closed(world, datetime.date(2024, 6, 1), datetime.date(2025, 1, 1))
    closed(world, datetime.date(2024, 6, 1), datetime.date(2024, 12, 31))

    quarter = Period(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    department = row_of(report(world, quarter).departments, world.department)

    # the world's two open trajectories started 30 days ago: not yet in 2025's first quarter
    assert department.during == 1


def test_phases_count_open_trajectories_now(world):
    TrajectoryFactory(department=world.department, phase=Phase.ASSESSMENT)
    closed(world, Q1, Q3)

    department = row_of(report(world).departments, world.department)

    assert (department.phase_2, department.phase_3, department.phase_4) == (2, 1, 0)


# Durations against the norms


def test_days_paused_do_not_count_in_a_trajectorys_length(world):
    trajectory = closed(world, datetime.date(2025, 1, 1), datetime.date(2025, 7, 20))  # 200 days
    PauseFactory(
        trajectory=trajectory,
        starts_on=datetime.date(2025, 3, 1),
        resume_on=datetime.date(2025, 4, 1),
        resumed_on=datetime.date(2025, 3, 31),  # 30 days
    )

    assert report(world).totals["trajectory_days"] == 170


def test_days_paused_do_not_count_in_an_assignments_length(world):
    passed(world, datetime.date(2025, 3, 1), datetime.date(2025, 4, 12), paused_days=14)  # 42 days

    assert report(world).totals["assignment_days"] == 28


def test_the_total_average_is_over_all_trajectories_not_over_the_departments(world):
    closed(world, datetime.date(2025, 1, 1), datetime.date(2025, 5, 1))  # 120 days
    closed(world, datetime.date(2025, 1, 1), datetime.date(2025, 7, 20))  # 200 days
    TrajectoryFactory(
        department=world.other_department,
        agreed_start=datetime.date(2025, 1, 1),
        agreed_end=datetime.date(2025, 12, 1),
        phase=Phase.CLOSING,
        closed_on=datetime.date(2025, 11, 27),  # 330 days
    )

    figures = report(world)

    assert row_of(figures.departments, world.department).trajectory_days == 160
    assert figures.totals["trajectory_days"] == pytest.approx(650 / 3)


def test_trajectories_and_assignments_outside_the_norms_are_counted(world, settings):
    settings.WPO_NORM_TRAJECTORY_MIN_DAYS = 91
    settings.WPO_NORM_TRAJECTORY_MAX_DAYS = 365
    settings.WPO_NORM_ASSIGNMENT_WEEKS = 6
    closed(world, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))  # 89 days: short
    closed(world, datetime.date(2025, 1, 1), datetime.date(2025, 4, 2))  # 91 days: fine
    closed(world, datetime.date(2024, 1, 1), datetime.date(2025, 1, 2))  # 367 days: long
    passed(world, datetime.date(2025, 3, 1), datetime.date(2025, 4, 12))  # 42 days: fine
    passed(world, datetime.date(2025, 3, 1), datetime.date(2025, 4, 13))  # 43 days: long

    department = row_of(report(world).departments, world.department)

    assert (department.shorter, department.longer, department.over_norm) == (1, 1, 1)


# Assignments, skills, certificates, escalations


def test_assignments_passed_are_counted_per_skill_and_level_on_their_day(world):
    skill = SkillFactory()
    passed(world, Q1, Q3, Level.A, skill)
    passed(world, Q1, Q3, Level.C, skill)
    passed(world, Q1, datetime.date(2026, 1, 5), Level.B, skill)

    row = next(row for row in report(world).skills if row.pk == skill.pk)

    assert (row.passed_A, row.passed_B, row.passed_C) == (1, 0, 1)


def test_skills_assessed_are_counted_by_the_level_reached(world):
    skill = SkillFactory()
    TrajectorySkillFactory(
        trajectory=world.trajectory, skill=skill, achieved_level=Level.B, assessed_on=Q3
    )
    TrajectorySkillFactory(
        trajectory=world.other_trajectory, skill=skill, achieved_level=Level.B, assessed_on=Q1
    )

    row = next(row for row in report(world).skills if row.pk == skill.pk)

    assert (row.assessed_A, row.assessed_B, row.assessed_C) == (0, 2, 0)


def test_only_valid_certificates_issued_in_the_period_count(world):
    CertificateFactory(trajectory=closed(world, Q1, Q3), issued_on=Q3)
    CertificateFactory(
        trajectory=closed(world, Q1, Q3),
        issued_on=Q3,
        revoked_at=timezone.now(),
        revoked_reason="Verkeerde naam",
    )
    CertificateFactory(trajectory=closed(world, Q1, Q3), issued_on=datetime.date(2026, 1, 2))

    assert row_of(report(world).departments, world.department).certificates == 1


def test_open_escalations_are_those_not_yet_answered(world):
    EscalationFactory(department=world.department)
    EscalationFactory(
        department=world.department,
        answer="Geregeld",
        answered_at=timezone.now(),
    )

    assert row_of(report(world).departments, world.department).open_escalations == 1


def test_a_business_unit_shows_only_its_departments_and_their_figures(world):
    closed(world, Q1, Q3)
    TrajectoryFactory(
        department=world.other_department,
        agreed_start=Q1,
        agreed_end=Q3,
        phase=Phase.CLOSING,
        closed_on=Q3,
    )

    figures = report(world, unit=world.department.business_unit)

    assert [row.pk for row in figures.departments] == [world.department.pk]
    assert figures.totals["closed"] == 1
    assert sum(row["closed"] for row in figures.quarters) == 1


# The page


def page(client, world, **query):
    client.force_login(world.project_manager.user)
    return client.get(reverse("trajects:organisation"), query)


def test_the_page_shows_this_year_for_the_whole_organisation_by_default(client, world):
    response = page(client, world)

    assert response.status_code == 200
    assert response.context["report"].period.start == timezone.localdate().replace(month=1, day=1)
    assert response.context["report"].unit is None


def test_a_quarter_in_the_query_string_sets_the_period(client, world):
    last_year = timezone.localdate().year - 1

    response = page(client, world, period=f"{last_year}-Q2")

    period = response.context["report"].period
    assert (period.start, period.end) == (
        datetime.date(last_year, 4, 1),
        datetime.date(last_year, 6, 30),
    )


def test_own_dates_set_the_period(client, world):
    response = page(client, world, period="custom", start="2025-03-15", end="2025-05-01")

    period = response.context["report"].period
    assert (period.start, period.end) == (datetime.date(2025, 3, 15), datetime.date(2025, 5, 1))


def test_a_from_date_after_the_until_date_is_refused_in_dutch_with_the_dates_kept(client, world):
    response = page(client, world, period="custom", start="2025-06-01", end="2025-05-01")

    content = response.content.decode()
    assert response.status_code == 422
    assert "De van-datum moet op of vóór de tot-datum liggen." in content
    assert 'value="2025-06-01"' in content


@pytest.mark.parametrize(
    "query",
    [{"period": "1999"}, {"unit": "999999"}, {"period": "custom", "start": "gisteren"}],
)
def test_a_bad_filter_is_refused_not_a_server_error(client, world, query):
    assert page(client, world, **query).status_code == 422


def test_htmx_gets_only_the_figures_part(client, world):
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation"), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="report"')
    assert "<html" not in content


def test_the_page_tables_are_the_reports_numbers(client, world):
    closed(world, datetime.date(timezone.localdate().year, 1, 2), timezone.localdate())

    response = page(client, world)

    durations = next(s.table for s in response.context["sections"] if s.table.name == "durations")
    assert durations.footer[1] == 1  # trajectories closed, in every business unit
    assert dict(response.context["figures"])["Afgesloten in de periode"] == 1


def add_organisation(world, count):
    """`count` participants, a third closed this year with a pause, a passed and an assessed
    skill each, a certificate and an escalation: bulk inserts, so a big size stays quick."""
    many_participants(world.department, world.trainer, world.coach, count)
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    new = Trajectory.objects.filter(
        participant__last_name__startswith="Deelnemer", closed_on__isnull=True
    )
    done = list(new.order_by("pk")[::3])
    Trajectory.objects.filter(pk__in=[t.pk for t in done]).update(
        phase=Phase.CLOSING, closed_on=today, agreed_start=start
    )
    Pause.objects.bulk_create(
        Pause(
            trajectory=trajectory,
            starts_on=start,
            resume_on=start + datetime.timedelta(days=10),
            resumed_on=start + datetime.timedelta(days=7),
            reason="Ziek",
        )
        for trajectory in done
    )
    AssignmentProgress.objects.filter(trajectory_skill__trajectory__in=done).update(
        status=ProgressStatus.PASSED, passed_on=today
    )
    for trajectory in done[:3]:
        CertificateFactory(trajectory=trajectory)
        EscalationFactory(department=world.department, trajectory=trajectory)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_the_page_its_units_and_its_export_take_the_same_queries_for_30_and_300_participants(
    client, world
):
    client.force_login(world.project_manager.user)
    unit = world.department.business_unit
    urls = [
        reverse("trajects:organisation"),
        reverse("trajects:organisation_unit", args=[unit.pk]),
        reverse("trajects:organisation_export"),
    ]
    add_organisation(world, 30)
    small = [queries_for(client, url) for url in urls]
    add_organisation(world, 270)
    DepartmentFactory.create_batch(30, business_unit=unit)
    months.forget_all()  # the months kept at the first size: counted again at this one
    large = [queries_for(client, url) for url in urls]
    kept = [queries_for(client, url) for url in urls]

    assert Trajectory.objects.filter(closed_on__isnull=False).count() >= 100
    assert small == large
    # a grouped query per kind of row (see Report.rows) and per kind of kept figures, the
    # unit's page also its totals; one for the escalations waiting for an answer. The first
    # view of a month also counts and keeps it (trajects.reports.months).
    assert kept == [21, 35, 20]
    assert large == [35, 35, 20]


# The PDF report


def pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return "\n".join(page.extract_text() for page in pages)


@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_report_holds_the_figures_and_no_names(client, world):
    closed(world, datetime.date(timezone.localdate().year, 1, 2), timezone.localdate())
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation_pdf"))

    text = pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Afgesloten in de periode 1" in text
    assert world.department.business_unit.name in text  # a row per business unit
    assert world.trajectory.participant.full_name not in text
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).count() == 1


@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_report_names_participants_only_when_asked(client, world):
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation_pdf"), {"names": "on"})

    text = pdf_text(response)
    assert world.trajectory.participant.full_name in text
    assert world.other_trajectory.participant.full_name in text


@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_report_for_a_business_unit_names_only_its_participants(client, world):
    client.force_login(world.project_manager.user)
    unit = world.other_department.business_unit

    response = client.get(reverse("trajects:organisation_pdf"), {"names": "on", "unit": unit.pk})

    text = pdf_text(response)
    assert unit.name in text
    assert world.other_trajectory.participant.full_name in text
    assert world.trajectory.participant.full_name not in text


def test_sections_and_key_figures_agree(world):
    closed(world, Q1, Q3)
    figures = report(world)

    period = next(s.table for s in sections(figures) if s.table.name == "period")

    assert period.footer[4] == 1 == dict(key_figures(figures))["Afgesloten in de periode"]


# The charts


def test_a_chart_is_an_accessible_svg_with_its_numbers_and_no_inline_style(client, world):
    response = page(client, world)

    content = response.content.decode()
    svg = content[content.index('<svg class="chart"') : content.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-phases-title chart-phases-desc"' in svg
    title = "Lopende WPO-trajecten per fase, per bedrijfsonderdeel"
    assert f'<title id="chart-phases-title">{title}</title>' in svg
    assert "Leer/werkperiode" in svg  # the legend names each colour
    assert 'fill="url(#chart-phases-pattern-1)"' in svg  # and each has its pattern
    assert "style=" not in content


def test_a_bar_is_as_long_as_its_share_of_the_scale():
    chart = bar_chart("c", "Titel", ["Inpak", "Groen"], [("Gestart", [4, None])])

    inpak, groen = chart.rows
    assert chart.ticks[-1].text == "4"
    assert inpak.bars[0].width == PLOT_WIDTH
    assert inpak.values[0].text == "4"
    assert (groen.bars[0].width, groen.values[0].text) == (0, "—")


def test_a_norm_mark_stretches_the_scale_to_show_it():
    chart = bar_chart("c", "Titel", ["Inpak"], [("Dagen", [100])], marks=[("hoogstens 365", 365)])

    bar, mark = chart.rows[0].bars[0], chart.marks[0]
    assert chart.ticks[-1].text == "400"
    assert bar.x + bar.width < mark.x < chart.plot_right
    assert mark.label.text == "hoogstens 365"


@pytest.mark.usefixtures("weasyprint")
@pytest.mark.parametrize(("names", "action"), [("on", "export"), ("", "download")])
def test_the_audit_log_tells_a_report_with_names_from_one_without(client, world, names, action):
    client.force_login(world.project_manager.user)

    client.get(reverse("trajects:organisation_pdf"), {"names": names})

    downloads = AuditEvent.objects.filter(
        user=world.project_manager.user, action__in=[AuditAction.EXPORT, AuditAction.DOWNLOAD]
    )
    assert list(downloads.values_list("action", flat=True)) == [action]


# Business units first, their departments on request


def test_the_page_shows_a_row_per_business_unit_leading_to_its_departments(client, world):
    unit = world.department.business_unit

    response = page(client, world, period="2025")

    now = next(s.table for s in response.context["sections"] if s.table.name == "now")
    assert {unit.name, world.other_department.business_unit.name} <= {row[0] for row in now.rows}
    link = f"{reverse('trajects:organisation_unit', args=[unit.pk])}?period=2025"
    assert f'href="{link}" data-hx-get="{link}"' in response.content.decode()
    assert world.department.name not in [row[0] for row in now.rows]


def test_a_business_units_page_shows_its_departments_in_the_same_period(client, world):
    unit = world.department.business_unit
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation_unit", args=[unit.pk]), {"period": "2025"})

    now = next(s.table for s in response.context["sections"] if s.table.name == "now")
    assert [row[:2] for row in now.rows] == [[unit.name, world.department.name]]
    assert response.context["report"].period.label == "2025"
    assert "Terug naar alle bedrijfsonderdelen" in response.content.decode()


def test_a_business_units_departments_come_a_page_at_a_time_with_the_units_totals(
    client, world, settings
):
    settings.WPO_REPORT_DEPARTMENTS_PER_PAGE = 2
    unit = world.department.business_unit
    last = DepartmentFactory(business_unit=unit, name="Zeefdruk")
    TrajectoryFactory(department=last)
    DepartmentFactory(business_unit=unit, name="Montage")
    client.force_login(world.project_manager.user)
    url = reverse("trajects:organisation_unit", args=[unit.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    def now(response):
        return next(s.table for s in response.context["sections"] if s.table.name == "now")

    assert [row[1] for row in now(first).rows] == [world.department.name, "Montage"]
    assert [row[1] for row in now(second).rows] == ["Zeefdruk"]
    active = 2 + 4  # the column after the four phases
    in_unit = Trajectory.objects.active().filter(department__business_unit=unit).count()
    assert now(first).footer[active] == now(second).footer[active] == in_unit >= 3
    assert "Afdelingen 1 tot en met 2 van 3" in first.content.decode()


def test_htmx_gets_only_the_figures_part_of_a_business_unit(client, world):
    client.force_login(world.project_manager.user)
    url = reverse("trajects:organisation_unit", args=[world.department.business_unit.pk])

    response = client.get(url, headers={"HX-Request": "true"})

    assert response.content.decode().lstrip().startswith('<div id="report"')


def test_an_unknown_business_unit_is_not_found(client, world):
    client.force_login(world.project_manager.user)

    response = client.get(reverse("trajects:organisation_unit", args=[987654]))

    assert response.status_code == 404
