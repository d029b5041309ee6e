"""Figures that leave the dashboard (exports, the council report, the comparison, open data) as tables whose small
numbers are withheld (see suppression.py). A withheld cell is None; as text it reads "< 5"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import suppression
from .selectors import ComparisonColumn, Durations, Overview, ServiceFigures, Share

Cell = str | int | float | None
# A figure that does not exist (a rate of nothing, the median of no values) - not a withheld one.
NONE = "–"


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    # Columns (by index) that hold rates 0..1, shown as per cent.
    percent_columns: frozenset[int] = frozenset()


def _duration(durations: Durations, unit: str, which: str = "median") -> Cell:
    """A median or percentile only when enough values lie behind it (else it could be one person's)."""
    if durations.count == 0:
        return NONE
    if suppression.cell(durations.count) is None:
        return None
    value = durations.median if which == "median" else durations.p90
    if value is None:
        return None
    return round(value / (60 if unit == "minutes" else 86_400), 1)


def kpi_table(overview: Overview) -> Table:
    counts = {kpi.code: kpi.trend for kpi in overview.kpis}
    starts = int(counts["starts"].current or 0)
    sent = int(counts["submissions"].current or 0)
    starts_before = int(counts["starts"].previous or 0)
    sent_before = int(counts["submissions"].previous or 0)
    rows: list[list[Cell]] = [
        [_("Applications started"), suppression.cell(starts), suppression.cell(starts_before)],
        [_("Applications sent"), suppression.cell(sent), suppression.cell(sent_before)],
        [
            _("Completion rate"),
            _percent(_rate(sent, starts)),
            _percent(_rate(sent_before, starts_before)),
        ],
        [
            _("Abandonment rate"),
            _percent(_complement(_rate(sent, starts))),
            _percent(_complement(_rate(sent_before, starts_before))),
        ],
    ]
    for kpi in overview.kpis:
        if kpi.code == "backlog":
            rows.append(
                [kpi.label, suppression.cell(_int(kpi.trend.current)), suppression.cell(_int(kpi.trend.previous))]
            )
    for kpi in overview.appointments + (overview.reports if overview.has_reports else []):
        if kpi.unit:
            continue
        rows.append([kpi.label, suppression.cell(_int(kpi.trend.current)), suppression.cell(_int(kpi.trend.previous))])
    return Table(
        code="kennzahlen",
        title=_("Key figures"),
        columns=[_("Figure"), _("This period"), _("Previous period")],
        rows=rows,
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _complement(value: float | str | None) -> float | str | None:
    return value if value is None or isinstance(value, str) else 1 - value


def _percent(value: float | str | None) -> Cell:
    return value if value is None or isinstance(value, str) else round(value * 100, 1)


def _rate(part: int, whole: int) -> float | str | None:
    """A published rate: "–" when there is nothing to divide by, None when withheld."""
    return NONE if whole == 0 else suppression.rate(part, whole)


def service_table(overview: Overview) -> Table:
    """Per service: counts (small ones withheld, and one more where the total would give a withheld one away),
    rates only where both counts are shown and the difference is not small, medians with at least MIN_CELL values."""
    rows = overview.services
    starts = suppression.group({row.key: row.starts for row in rows})
    sent = suppression.group({row.key: row.submissions for row in rows})
    counter = suppression.group({row.key: row.counter for row in rows})
    processing = {row.key: row for row in overview.processing}
    table: list[list[Cell]] = []
    for row in rows:
        shown = starts[row.key] is not None and sent[row.key] is not None
        completion = _rate(row.submissions, row.starts) if shown else None
        minutes: Cell = NONE if not row.submissions else None
        if sent[row.key] is not None and row.submissions and row.median_minutes is not None:
            minutes = round(row.median_minutes, 1)
        decided = processing.get(row.key)
        table.append(
            [
                row.key,
                row.name,
                starts[row.key],
                sent[row.key],
                _percent(completion),
                _percent(_complement(completion)),
                minutes,
                counter[row.key],
                suppression.cell(decided.decided) if decided else 0,
                _duration(decided.durations, "days") if decided else NONE,
                _duration(decided.durations, "days", "p90") if decided else NONE,
                # promised by the service definition, not counted: never withheld ("–" when none is promised)
                decided.promised_days if decided and decided.promised_days is not None else NONE,
            ]
        )
    return Table(
        code="leistungen",
        title=_("Services"),
        columns=[
            _("Service key"),
            _("Service"),
            _("Started"),
            _("Sent"),
            _("Completion rate (%)"),
            _("Abandonment rate (%)"),
            _("Median time to complete (minutes)"),
            _("Appointments at the counter"),
            _("Decisions"),
            _("Median processing time (days)"),
            _("90 percent decided within (days)"),
            _("Promised processing time (days)"),
        ],
        rows=table,
    )


def share_table(code: str, title: str, items: Sequence[Share]) -> Table:
    counts = suppression.group({item.code: item.count for item in items})
    whole = sum(item.count for item in items)
    rows: list[list[Cell]] = []
    for item in items:
        shown = counts[item.code]
        rows.append([item.label, shown, None if shown is None else round(shown / whole * 100, 1)])
    return Table(code=code, title=title, columns=[_("Kind"), _("Count"), _("Share (%)")], rows=rows)


def overview_tables(overview: Overview) -> list[Table]:
    tables = [
        kpi_table(overview),
        service_table(overview),
        share_table("zahlungsarten", _("Payment methods"), overview.payment_methods),
        share_table("vertrauensniveau", _("Trust levels of sent applications"), overview.trust_levels),
        share_table("kanal", _("Online and at the counter"), overview.channels),
    ]
    if overview.scope.everything:
        tables.append(share_table("anmeldung", _("Login methods"), overview.login_methods))
    if overview.has_reports:
        tables.append(share_table("maengel", _("Defect reports by category"), overview.report_categories))
    return tables


def funnel_table(figures: ServiceFigures) -> Table:
    shown = suppression.funnel([step.reached for step in figures.funnel])
    rows: list[list[Cell]] = []
    last: int | None = None
    for step, value in zip(figures.funnel, shown, strict=True):
        stopped: Cell = None if value is None or last is None else last - value
        rows.append([step.label, value, "–" if not rows else stopped])
        if value is not None:
            last = value
    return Table(
        code="trichter",
        title=_("Step funnel: %(service)s") % {"service": figures.service.name},
        columns=[_("Step"), _("Reached"), _("Stopped since the last shown step")],
        rows=rows,
    )


# --- the comparison ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    cells: list[tuple[Cell, Cell]]  # (value, value per 1,000 inhabitants or None)
    unit: str = ""


def per_thousand(count: int | None, inhabitants: int) -> float | None:
    """Per 1,000 inhabitants, from a count that may be shown (a withheld count stays withheld)."""
    if count is None or not inhabitants:
        return None
    return round(count / inhabitants * 1000, 2)


def comparison_rows(columns: Sequence[ComparisonColumn], *, with_logins: bool) -> list[ComparisonRow]:
    """The KPIs side by side; counts also per 1,000 inhabitants; every cell suppressed like published figures."""

    def counted(name: str, label: str) -> ComparisonRow:
        cells: list[tuple[Cell, Cell]] = []
        for column in columns:
            value = suppression.cell(column.counts.get(name, 0))
            cells.append((value, per_thousand(value, column.municipality.inhabitants)))
        return ComparisonRow(label=label, cells=cells)

    rows = [
        ComparisonRow(label=_("Inhabitants"), cells=[(column.municipality.inhabitants, None) for column in columns]),
        counted("service_started", _("Applications started")),
        counted("application_submitted", _("Applications sent")),
        ComparisonRow(
            label=_("Completion rate"),
            cells=[
                (
                    _percent(
                        _rate(column.counts.get("application_submitted", 0), column.counts.get("service_started", 0))
                    ),
                    None,
                )
                for column in columns
            ],
            unit="percent",
        ),
        ComparisonRow(
            label=_("Median time to complete (minutes)"),
            cells=[(_duration(column.to_complete, "minutes"), None) for column in columns],
        ),
        ComparisonRow(
            label=_("Median processing time (days)"),
            cells=[(_duration(column.processing, "days"), None) for column in columns],
        ),
        ComparisonRow(
            label=_("Paid online (share of paid applications)"),
            cells=[
                (
                    _percent(
                        _rate(
                            sum(n for code, n in column.methods.items() if code not in ("invoice", "none")),
                            sum(n for code, n in column.methods.items() if code != "none"),
                        )
                    ),
                    None,
                )
                for column in columns
            ],
            unit="percent",
        ),
        counted("appointment_confirmed", _("Appointments at the counter")),
        counted("report_filed", _("Defect reports filed")),
    ]
    if with_logins:
        rows.append(counted("login", _("Logins")))
    return rows
