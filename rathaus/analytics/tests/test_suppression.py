"""Small numbers are withheld in everything published, also where a rate, a total minus its parts or a step of a
funnel would give them back."""

from datetime import date

import pytest
from django.utils import translation

from rathaus.analytics import histogram, suppression
from rathaus.analytics.periods import Period
from rathaus.analytics.published import comparison_rows, service_table, share_table
from rathaus.analytics.selectors import ComparisonColumn, Durations, Overview, Scope, ServiceRow, Share, Trend

pytestmark = pytest.mark.analytics


def test_counts_below_the_threshold_are_withheld_and_zero_is_shown():
    assert [suppression.cell(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]
    assert suppression.text(None) == "< 5"


def test_the_threshold_is_configurable(settings):
    settings.RATHAUS_ANALYTICS_MIN_CELL = 10
    assert suppression.cell(9) is None
    assert suppression.text(None) == "< 10"


def test_a_rate_is_withheld_when_part_whole_or_rest_is_small():
    assert suppression.rate(50, 100) == 0.5
    assert suppression.rate(3, 100) is None  # 3 people sent
    assert suppression.rate(97, 100) is None  # 3 people stopped: 97 % of 100 gives them back
    assert suppression.rate(100, 100) == 1.0
    assert suppression.rate(0, 100) == 0.0


def test_in_a_group_the_withheld_parts_never_add_up_to_a_small_number():
    shown = suppression.group({"card": 40, "paypal": 30, "sepa": 3})
    # 73 - 40 - 30 would be 3 again: the next smallest part goes too.
    assert shown == {"card": 40, "paypal": None, "sepa": None}
    assert suppression.group({"card": 40, "paypal": 30, "sepa": 2, "giropay": 4}) == {
        "card": 40,
        "paypal": 30,
        "sepa": None,
        "giropay": None,
    }
    assert suppression.group({"card": 40, "paypal": 30}) == {"card": 40, "paypal": 30}


def test_in_a_group_zeros_stay_shown_while_a_counted_part_goes_with_a_small_one():
    # Appointments per service: most services have none; 3 and 12 would give each other away through the total.
    shown = suppression.group({"ausweis": 12, "meldung": 3, "fischerei": 0, "gewerbe": 0})
    assert shown == {"ausweis": None, "meldung": None, "fischerei": 0, "gewerbe": 0}
    assert suppression.group({"meldung": 3, "fischerei": 0}) == {"meldung": None, "fischerei": 0}


def test_a_funnel_step_is_withheld_when_few_stopped_before_it():
    # 100 started, 97 passed step 1 (3 stopped: withheld), 80 passed step 2, 2 sent.
    assert suppression.funnel([100, 97, 80, 78, 2]) == [100, None, 80, None, None]
    assert suppression.funnel([100, 100, 90]) == [100, 100, 90]


def overview(rows, methods) -> Overview:
    period = Period("monat", date(2026, 10, 1), date(2026, 10, 31))
    zero = Trend(0, 0)
    return Overview(
        scope=Scope(municipality=None, service_keys=None),  # type: ignore[arg-type]
        period=period,
        previous=period.previous(),
        kpis=[],
        services=rows,
        payment_methods=methods,
        trust_levels=[],
        login_methods=[],
        login_trust_levels=[],
        channels=[],
        processing=[],
        appointments=[],
        reports=[],
        report_categories=[],
        series=[],
        has_data=bool(rows) and zero.current == 0,
    )


def row(key: str, starts: int, sent: int) -> ServiceRow:
    return ServiceRow(
        key=key,
        name=key,
        starts=starts,
        submissions=sent,
        previous_submissions=0,
        completion_rate=sent / starts if starts else None,
        abandonment_rate=None,
        median_minutes=12.0,
        counter=0,
    )


def test_the_service_table_withholds_derived_figures_too():
    table = service_table(overview([row("a", 200, 120), row("b", 150, 148), row("c", 40, 3)], []))
    a, b, c = table.rows
    # c: 3 sent is withheld, and so is the next smallest "sent" of the column (the total would give it back).
    assert c[2:7] == [40, None, None, None, None]
    assert a[2:6] == [200, None, None, None]
    # b: 148 of 150 sent - the rates would give the 2 who stopped back.
    assert b[2:6] == [150, 148, None, None]
    assert service_table(overview([row("a", 200, 120), row("b", 150, 100)], [])).rows[0][2:7] == [
        200,
        120,
        60.0,
        40.0,
        12.0,
    ]


def test_shares_are_withheld_with_their_count():
    table = share_table(
        "zahlungsarten",
        "Zahlungsarten",
        [
            Share("card", "Karte", 40, 0.55),
            Share("paypal", "PayPal", 30, 0.41),
            Share("sepa", "SEPA", 3, 0.04),
        ],
    )
    assert [r[1:] for r in table.rows] == [[40, 54.8], [None, None], [None, None]]


def test_the_comparison_normalises_per_thousand_inhabitants_and_withholds_small_counts(musterstadt, beispielhausen):
    musterstadt.inhabitants, beispielhausen.inhabitants = 50_000, 25_000
    few = Durations.of({histogram.bucket_of(600): 3})
    columns = [
        ComparisonColumn(musterstadt, {"service_started": 500, "application_submitted": 300}, {}, few, few),
        ComparisonColumn(beispielhausen, {"service_started": 250, "application_submitted": 4}, {}, few, few),
    ]
    with translation.override("en"):
        rows = {r.label: r.cells for r in comparison_rows(columns, with_logins=False)}
    assert rows["Applications started"] == [(500, 10.0), (250, 10.0)]
    assert rows["Applications sent"] == [(300, 6.0), (None, None)]
    assert rows["Completion rate"] == [(60.0, None), (None, None)]
    assert rows["Median time to complete (minutes)"] == [(None, None), (None, None)]  # 3 values: withheld
