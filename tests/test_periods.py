"""Periods: calendar months (2026-07) and quarters (2026-Q3), and stepping between them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from prm.periods import Period, last_periods, parse_period, period_containing


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-07", date(2026, 7, 1), date(2026, 7, 31)),
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30)),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
        ("2100-02", date(2100, 2, 1), date(2100, 2, 28)),
    ],
)
def test_a_month_runs_from_its_first_to_its_last_day(code, start, end):
    # when
    period = parse_period(code)

    # then
    assert (period.start, period.end, period.code) == (start, end, code)
    assert period.is_quarter is False


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_a_quarter_runs_from_its_first_to_its_last_day(code, start, end):
    # when
    period = parse_period(code)

    # then
    assert (period.start, period.end, period.code) == (start, end, code)
    assert period.is_quarter is True


def test_a_lower_case_quarter_is_accepted_and_written_in_capitals():
    # when
    period = parse_period("2026-q3")

    # then
    assert period == Period(date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")


def test_surrounding_spaces_are_ignored():
    assert parse_period("  2026-07 ").code == "2026-07"


@pytest.mark.parametrize(
    "code", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-07", "2026-7", "2026Q3", "July 2026", "", None]
)
def test_anything_else_is_refused_on_the_period_field(code):
    # when
    with pytest.raises(ValidationError) as error:
        parse_period(code)

    # then
    assert list(error.value.message_dict) == ["period"]


@pytest.mark.parametrize(
    ("code", "previous", "following"),
    [
        ("2026-07", "2026-06", "2026-08"),
        ("2026-01", "2025-12", "2026-02"),
        ("2026-12", "2026-11", "2027-01"),
        ("2028-03", "2028-02", "2028-04"),
        ("2026-Q3", "2026-Q2", "2026-Q4"),
        ("2026-Q1", "2025-Q4", "2026-Q2"),
        ("2026-Q4", "2026-Q3", "2027-Q1"),
    ],
)
def test_previous_and_next_step_one_period_of_the_same_kind(code, previous, following):
    # given
    period = parse_period(code)

    # when / then
    assert period.previous() == parse_period(previous)
    assert period.next() == parse_period(following)


def test_a_leap_february_steps_to_the_whole_neighbouring_months():
    # given
    february = parse_period("2028-02")

    # when
    march = february.next()
    january = february.previous()

    # then
    assert (march.start, march.end) == (date(2028, 3, 1), date(2028, 3, 31))
    assert (january.start, january.end) == (date(2028, 1, 1), date(2028, 1, 31))


def test_last_periods_end_with_the_period_oldest_first():
    # when
    periods = last_periods(parse_period("2026-Q2"), 4)

    # then
    assert [p.code for p in periods] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]


def test_last_periods_of_months_cross_the_year_boundary():
    # when
    periods = last_periods(parse_period("2026-02"), 3)

    # then
    assert [p.code for p in periods] == ["2025-12", "2026-01", "2026-02"]


def test_last_one_period_is_the_period_itself():
    assert last_periods(parse_period("2026-07"), 1) == [parse_period("2026-07")]


@pytest.mark.parametrize(
    ("day", "quarter", "code"),
    [
        (date(2026, 9, 30), True, "2026-Q3"),
        (date(2026, 10, 1), True, "2026-Q4"),
        (date(2026, 12, 31), False, "2026-12"),
    ],
)
def test_period_containing_a_day(day, quarter, code):
    assert period_containing(day, quarter=quarter).code == code
