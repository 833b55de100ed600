"""The manager's figures of past months are kept, and counted again when a row with a date in
such a month changes after all: what the report shows is always what the rows say."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from assignments.models import Level
from tests.factories import PauseFactory, SkillFactory
from tests.trajects.test_reports import YEAR, closed, passed, report, row_of
from trajects.models import AssignmentProgress, MonthFigures, ProgressStatus, SummarizedMonth
from trajects.reports import months
from trajects.reports.figures import Period, Report
from wpo.models import Department

OCTOBER = datetime.date(2025, 10, 1)
TODAY = datetime.date(2026, 11, 30)


def keep(shown: Report):
    """View the report's figures: their months are kept from then on."""
    return shown.rows


def kept_months():
    return set(SummarizedMonth.objects.values_list("month", flat=True))


def test_a_period_is_split_into_the_months_kept_and_the_days_still_to_count():
    kept, rest = months.split(datetime.date(2026, 2, 15), datetime.date(2026, 12, 31), TODAY)

    assert kept[0] == datetime.date(2026, 3, 1)
    assert kept[-1] == datetime.date(2026, 11, 1)  # the month under way, up to yesterday
    assert rest == [
        (datetime.date(2026, 2, 15), datetime.date(2026, 2, 28)),
        (TODAY, datetime.date(2026, 12, 31)),
    ]


def test_on_the_first_of_a_month_nothing_of_it_is_kept_yet():
    first = datetime.date(2026, 12, 1)

    kept, rest = months.split(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), first)

    assert kept[-1] == datetime.date(2026, 11, 1)
    assert rest == [(first, datetime.date(2026, 12, 31))]


def test_a_period_within_the_month_under_way_keeps_nothing():
    period = (datetime.date(2026, 11, 2), datetime.date(2026, 11, 20))

    assert months.split(*period, TODAY) == ([], [period])


def test_the_figures_of_a_past_year_are_kept_once_viewed(world):
    closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))

    first = row_of(report(world).rows, world.department)
    again = row_of(report(world).rows, world.department)

    assert kept_months() == {datetime.date(2025, month, 1) for month in range(1, 13)}
    assert (first.started, first.closed) == (again.started, again.closed) == (1, 1)


def test_a_department_that_did_nothing_in_a_kept_month_has_no_row_for_it(world):
    keep(report(world))

    assert kept_months()
    assert not MonthFigures.objects.exists()


def test_an_assignment_passed_on_a_day_of_a_kept_month_after_the_fact_is_counted(world):
    keep(report(world))

    passed(world, datetime.date(2025, 9, 1), datetime.date(2025, 10, 14))

    assert OCTOBER not in kept_months()
    assert row_of(report(world).rows, world.department).passed == 1


def test_a_pass_taken_back_in_a_kept_month_is_no_longer_counted(world):
    progress = passed(world, datetime.date(2025, 9, 1), datetime.date(2025, 10, 14))
    assert row_of(report(world).rows, world.department).passed == 1

    progress.passed_on, progress.status = None, ProgressStatus.WORKING
    progress.save()

    assert row_of(report(world).rows, world.department).passed == 0


def test_a_pass_moved_out_of_a_kept_month_lets_go_of_the_month_it_left(world):
    progress = passed(world, datetime.date(2025, 9, 1), datetime.date(2025, 10, 31))
    keep(report(world))

    progress.passed_on = datetime.date(2026, 1, 2)
    progress.save()

    assert row_of(report(world).rows, world.department).passed == 0


def test_a_save_that_changes_nothing_counted_lets_no_month_go(world):
    trajectory = closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))
    keep(report(world))
    before = kept_months()

    trajectory.stop_reason = ""
    trajectory.save()

    assert kept_months() == before


def test_a_trajectory_erased_is_no_longer_counted_in_the_months_it_ran(world):
    trajectory = closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))
    assert row_of(report(world).rows, world.department).closed == 1

    trajectory.delete()

    assert row_of(report(world).rows, world.department).closed == 0


def test_a_pause_added_to_a_closed_trajectory_shortens_it_in_the_month_it_closed(world):
    trajectory = closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))
    before = row_of(report(world).rows, world.department).trajectory_days

    PauseFactory(
        trajectory=trajectory,
        starts_on=datetime.date(2025, 3, 3),
        resume_on=datetime.date(2025, 3, 13),
        resumed_on=datetime.date(2025, 3, 13),
    )

    assert row_of(report(world).rows, world.department).trajectory_days == before - 10


def test_a_trajectory_moved_to_another_department_counts_there(world):
    trajectory = closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))
    keep(report(world))
    other = Department.objects.exclude(pk=world.department.pk).first()

    trajectory.department = other
    trajectory.save()

    rows = report(world).rows
    assert (row_of(rows, world.department).closed, row_of(rows, other).closed) == (0, 1)


def test_other_norms_count_the_kept_months_again(world, settings):
    closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))  # 238 days
    settings.WPO_NORM_TRAJECTORY_MAX_DAYS = 365
    assert row_of(report(world).rows, world.department).longer == 0

    settings.WPO_NORM_TRAJECTORY_MAX_DAYS = 200

    assert row_of(report(world).rows, world.department).longer == 1


def test_kept_months_and_the_month_under_way_add_up(world):
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    skill = SkillFactory()
    passed(world, last_month, last_month + datetime.timedelta(days=3), Level.B, skill)
    passed(world, last_month, this_month, Level.B, skill)
    period = Period(last_month, this_month + datetime.timedelta(days=27))

    shown = Report(world.project_manager.user, period)
    figures = next(row for row in shown.skills if row.pk == skill.pk)

    assert kept_months() == {last_month}
    assert row_of(shown.rows, world.department).passed == 2
    assert figures.passed_B == 2


def test_a_demo_reset_forgets_the_kept_months(db):
    call_command("demo", verbosity=0)
    keep(Report(get_user_model().objects.get(username="pm"), YEAR))
    assert kept_months()

    call_command("demo", reset=True, verbosity=0)

    assert not kept_months()


def check_figures(*args) -> str:
    out = io.StringIO()
    call_command("check_figures", *args, stdout=out)
    return out.getvalue()


def test_kept_figures_that_say_what_their_rows_say_show_no_drift(world):
    passed(world, datetime.date(2025, 9, 1), datetime.date(2025, 10, 14), Level.B)
    closed(world, datetime.date(2025, 1, 6), datetime.date(2025, 9, 1))
    keep(report(world))

    assert "12 kept month(s): no drift" in check_figures()


def test_a_change_made_past_the_receivers_shows_as_drift_until_fixed(world):
    progress = passed(world, datetime.date(2025, 9, 1), datetime.date(2025, 10, 14))
    keep(report(world))

    AssignmentProgress.objects.filter(pk=progress.pk).update(passed_on=datetime.date(2025, 11, 3))

    with pytest.raises(CommandError, match="2 kept month"):
        check_figures()
    fixed = check_figures("--fix")
    assert "2025-10" in fixed
    assert "2025-11" in fixed
    assert row_of(report(world).rows, world.department).passed == 1
    assert "no drift" in check_figures()


def test_the_demo_organisations_kept_figures_show_no_drift(db):
    call_command("demo", verbosity=0)
    keep(Report(get_user_model().objects.get(username="pm"), YEAR))

    assert "no drift" in check_figures()


def this_year() -> Period:
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today.replace(month=12, day=31), "dit jaar")


@pytest.fixture
def yesterday():
    today = timezone.localdate()
    if today.day == 1:
        pytest.skip("on the first of a month nothing of it is kept yet")
    return today - datetime.timedelta(days=1)


def test_the_month_under_way_is_kept_up_to_yesterday(world, yesterday):
    passed(world, yesterday - datetime.timedelta(days=30), yesterday)

    shown = row_of(report(world, this_year()).rows, world.department)

    kept = SummarizedMonth.objects.get(month=yesterday.replace(day=1))
    assert kept.through == yesterday
    assert shown.passed == MonthFigures.objects.get(month=kept.month).passed == 1


def test_todays_work_is_counted_from_the_rows_and_lets_no_month_go(world, yesterday):
    today = yesterday + datetime.timedelta(days=1)
    progress = passed(world, today - datetime.timedelta(days=30), today)
    keep(report(world, this_year()))
    before = kept_months()

    progress.passed_on, progress.status = None, ProgressStatus.WORKING
    progress.save()

    assert kept_months() == before
    assert row_of(report(world, this_year()).rows, world.department).passed == 0


def test_a_pass_recorded_for_yesterday_lets_go_of_the_month_under_way(world, yesterday):
    today = yesterday + datetime.timedelta(days=1)
    progress = passed(world, today - datetime.timedelta(days=30), today)
    keep(report(world, this_year()))

    progress.passed_on = yesterday
    progress.save()

    assert yesterday.replace(day=1) not in kept_months()
    assert row_of(report(world, this_year()).rows, world.department).passed == 1


def test_the_month_under_way_is_counted_again_on_the_next_day(world, yesterday):
    month = yesterday.replace(day=1)
    if yesterday == month:
        pytest.skip("on the second of a month the day before yesterday is in the month before")
    passed(world, yesterday - datetime.timedelta(days=30), yesterday)
    keep(report(world, this_year()))
    # as kept on the view of yesterday, before the pass of yesterday was recorded
    day_before = yesterday - datetime.timedelta(days=1)
    SummarizedMonth.objects.filter(month=month).update(through=day_before)
    MonthFigures.objects.filter(month=month).update(passed=0)

    shown = row_of(report(world, this_year()).rows, world.department)

    assert SummarizedMonth.objects.get(month=month).through == yesterday
    assert shown.passed == 1
