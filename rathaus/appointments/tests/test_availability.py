"""Free times are computed in one pass per counter; they must agree with checking every start against every booking."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rathaus.appointments import availability, desk, selectors

from .conftest import NOW, TZ, at

BASE = datetime(2026, 12, 7, 8, 0, tzinfo=TZ)
minutes = st.integers(min_value=0, max_value=240)
intervals = st.lists(st.tuples(minutes, st.integers(min_value=1, max_value=60)), max_size=12)


def brute_force(starts, duration, busy):
    return [s for s in starts if all(not (b < s + duration and s < e) for b, e in busy)]


@settings(max_examples=200, deadline=None)
@given(intervals, st.integers(min_value=5, max_value=45), st.integers(min_value=1, max_value=30))
def test_one_pass_agrees_with_checking_every_start(raw, duration_minutes, step):
    busy = [(BASE + timedelta(minutes=b), BASE + timedelta(minutes=b + length)) for b, length in raw]
    starts = [BASE + timedelta(minutes=m) for m in range(0, 240, step)]
    duration = timedelta(minutes=duration_minutes)
    fast = availability.starts_clear_of(starts, duration, availability.merged(busy))
    assert fast == brute_force(starts, duration, busy)


def test_merged_joins_overlapping_and_touching_intervals():
    a, b, c, d = (BASE + timedelta(minutes=m) for m in (0, 10, 20, 30))
    assert availability.merged([(c, d), (a, b), (b, c)]) == [(a, d)]
    assert availability.merged([(a, b), (c, d)]) == [(a, b), (c, d)]


def test_a_block_over_several_days_blocks_each_of_them(office, citizens_office_clerk):
    concerns = selectors.concerns_resolve(location=office, service_keys=["personalausweis"])
    desk.blocked_time_add(
        location=office, counter=None, start=at(8, 11), end=at(10, 9), reason="", actor=citizens_office_clerk, now=NOW
    )
    free = selectors.free_days(location=office, concerns=concerns, days=5, now=NOW)
    assert at(8, 0).date() in free and free[at(8, 0).date()][-1] < at(8, 11)
    assert at(9, 0).date() not in free
    assert free[at(10, 0).date()][0] == at(10, 9)
