"""Reads of the KPIs, always within one municipality and the services a staff member may see.

Everything here reads the daily rollups (DailyCount, DailyDuration), never the raw events, so a page costs the same
few queries whether a year holds a thousand events or ten million.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.selectors import staff_roles_for
from rathaus.catalog.selectors import Service, ServiceSummary, service_get, service_summaries
from rathaus.core.i18n import localized
from rathaus.tenants.models import Municipality

from . import histogram
from .labels import dimension_label
from .models import AnalyticsSettings, DailyCount, DailyDuration, MonthlyCount, MonthlyDuration
from .periods import Period

DAY = 86_400.0


@dataclass(frozen=True)
class Scope:
    """What a staff member sees: the municipality, and its services of their departments (None: everything, also the
    figures that belong to no service, such as logins)."""

    municipality: Municipality
    service_keys: frozenset[str] | None

    @property
    def everything(self) -> bool:
        return self.service_keys is None

    def allows(self, service_key: str) -> bool:
        return self.service_keys is None or service_key in self.service_keys


def scope_for(*, user: User, municipality: Municipality) -> Scope | None:
    """Municipality admins see all; department staff the services their departments are responsible for."""
    roles = staff_roles_for(user=user, municipality=municipality)
    if not roles:
        return None
    if any(role.role == StaffRole.Role.MUNICIPALITY_ADMIN for role in roles):
        return Scope(municipality=municipality, service_keys=None)
    departments = {role.department_id for role in roles if role.department_id}
    keys = {
        service.key
        for service in service_summaries(municipality=municipality)
        if service.department_id is not None and service.department_id in departments
    }
    return Scope(municipality=municipality, service_keys=frozenset(keys))


def is_municipality_admin(*, user: User, municipality: Municipality) -> bool:
    return StaffRole.objects.filter(
        user=user, municipality=municipality, role=StaffRole.Role.MUNICIPALITY_ADMIN
    ).exists()


# --- small value types -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """Relative change in per cent, None without a previous value."""
        if self.current is None or not self.previous:
            return None
        return (self.current - self.previous) / self.previous * 100

    @property
    def direction(self) -> str:
        if self.current is None or self.previous is None:
            return "none"
        if abs(self.current - self.previous) < 1e-9 or (self.change is not None and abs(self.change) < 0.5):
            return "same"
        return "up" if self.current > self.previous else "down"


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    count: int
    share: float  # 0..1 of the group's total


def shares(counts: dict[str, int], dimension: str) -> list[Share]:
    whole = sum(counts.values())
    return [
        Share(code=code, label=dimension_label(dimension, code), count=count, share=count / whole if whole else 0.0)
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Durations:
    """Median and 90th percentile in seconds of a histogram, and how many values it holds."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, counts: dict[int, int]) -> Durations:
        return cls(
            count=histogram.total(counts),
            median=histogram.quantile(counts, 0.5),
            p90=histogram.quantile(counts, 0.9),
        )

    @property
    def median_days(self) -> float | None:
        return None if self.median is None else self.median / DAY

    @property
    def p90_days(self) -> float | None:
        return None if self.p90 is None else self.p90 / DAY

    @property
    def median_minutes(self) -> float | None:
        return None if self.median is None else self.median / 60


# --- queries on the rollups --------------------------------------------------------------------------------------


def spans(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """The days of [start, end] outside whole calendar months, and the first days of the first and last whole month
    (None when no month lies wholly inside): whole months are read from the monthly rollups."""
    first_whole = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = end + timedelta(days=1)
    last_whole_end = after_end.replace(day=1)  # the first day after the last whole month
    if first_whole >= last_whole_end:
        return [(start, end)], None
    edges = []
    if start < first_whole:
        edges.append((start, first_whole - timedelta(days=1)))
    if last_whole_end <= end:
        edges.append((last_whole_end, end))
    last_whole = (last_whole_end - timedelta(days=1)).replace(day=1)
    return edges, (first_whole, last_whole)


def _summed(
    kind: str,
    *,
    municipalities: Iterable[Municipality],
    start: date,
    end: date,
    group: tuple[str, ...],
    service_keys: frozenset[str] | None,
    condition: Q | None = None,
    by_day: bool = False,
) -> dict[tuple, int]:
    """Sums of `count` grouped by `group`, over the daily rollups at the edges and the monthly ones in between
    ("count": DailyCount/MonthlyCount, "duration": DailyDuration/MonthlyDuration). With `by_day` every day is read
    from the daily rows (a chart of days or weeks)."""
    daily, monthly = (DailyCount, MonthlyCount) if kind == "count" else (DailyDuration, MonthlyDuration)
    edges, months = ([(start, end)], None) if by_day else spans(start, end)
    result: dict[tuple, int] = defaultdict(int)
    for model, ranges in ((daily, edges), (monthly, [months] if months else [])):
        if not ranges:
            continue
        span = Q()
        for low, high in ranges:
            span |= Q(day__gte=low, day__lte=high)
        rows = model.objects.filter(span, municipality__in=list(municipalities))
        if condition is not None:
            rows = rows.filter(condition)
        if service_keys is not None:
            rows = rows.filter(service_key__in=service_keys)
        for row in rows.values(*group).annotate(n=Sum("count")):
            data: dict[str, Any] = dict(row)
            result[tuple(data[name] for name in group)] += data["n"]
    return result


def totals(
    *, scope: Scope, start: date, end: date, names: Iterable[str], service_keys: frozenset[str] | None = None
) -> dict[tuple[str, str], int]:
    """(event, service) -> number of events in the period."""
    return _summed(
        "count",
        municipalities=[scope.municipality],
        start=start,
        end=end,
        group=("name", "service_key"),
        service_keys=_keys(scope, service_keys),
        condition=Q(dimension="", name__in=list(names)),
    )


def breakdown(
    *,
    scope: Scope,
    start: date,
    end: date,
    pairs: Iterable[tuple[str, str]],
    service_keys: frozenset[str] | None = None,
) -> dict[tuple[str, str], dict[str, int]]:
    """(event, dimension) -> value -> count, over the services of the scope (or `service_keys`)."""
    condition = Q()
    for name, dimension in pairs:
        condition |= Q(name=name, dimension=dimension)
    sums = _summed(
        "count",
        municipalities=[scope.municipality],
        start=start,
        end=end,
        group=("name", "dimension", "value"),
        service_keys=_keys(scope, service_keys),
        condition=condition,
    )
    result: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (name, dimension, value), n in sums.items():
        result[(name, dimension)][value] = n
    return result


def duration_histograms(
    *, scope: Scope, start: date, end: date, names: Iterable[str], service_keys: frozenset[str] | None = None
) -> dict[tuple[str, str], dict[int, int]]:
    """(event, service) -> bucket -> count."""
    sums = _summed(
        "duration",
        municipalities=[scope.municipality],
        start=start,
        end=end,
        group=("name", "service_key", "bucket"),
        service_keys=_keys(scope, service_keys),
        condition=Q(name__in=list(names)),
    )
    result: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for (name, key, bucket), n in sums.items():
        result[(name, key)][bucket] = n
    return result


def _keys(scope: Scope, service_keys: frozenset[str] | None) -> frozenset[str] | None:
    if service_keys is None:
        return scope.service_keys
    if scope.service_keys is None:
        return service_keys
    return service_keys & scope.service_keys


EPOCH = date(2000, 1, 1)


def backlog(
    *, scope: Scope, ends: Iterable[date], service_keys: frozenset[str] | None = None
) -> dict[date, dict[str, int]]:
    """Open cases at the end of each day in `ends`, per service: cases opened minus cases closed until then."""
    result: dict[date, dict[str, int]] = {}
    for end in sorted(set(ends)):
        sums = _summed(
            "count",
            municipalities=[scope.municipality],
            start=EPOCH,
            end=end,
            group=("name", "service_key"),
            service_keys=_keys(scope, service_keys),
            condition=Q(dimension="", name__in=("case_opened", "case_closed")),
        )
        open_cases: dict[str, int] = defaultdict(int)
        for (name, key), n in sums.items():
            open_cases[key] += n if name == "case_opened" else -n
        result[end] = {key: max(0, n) for key, n in open_cases.items()}
    return result


def daily_series(
    *, scope: Scope, start: date, end: date, names: Iterable[str], service_keys: frozenset[str] | None = None
) -> dict[str, dict[date, int]]:
    """Per event and day; for periods longer than 120 days whole months count on their first day (the chart shows
    months then)."""
    sums = _summed(
        "count",
        municipalities=[scope.municipality],
        start=start,
        end=end,
        group=("name", "day"),
        service_keys=_keys(scope, service_keys),
        condition=Q(dimension="", name__in=list(names)),
        by_day=(end - start).days + 1 <= 120,
    )
    result: dict[str, dict[date, int]] = defaultdict(dict)
    for (name, day), n in sums.items():
        result[name][day] = n
    return result


# --- the overview --------------------------------------------------------------------------------------------------

OVERVIEW_NAMES = (
    "service_started",
    "application_submitted",
    "case_opened",
    "case_decided",
    "case_closed",
    "appointment_booked",
    "appointment_confirmed",
    "appointment_cancelled",
    "appointment_no_show",
    "report_filed",
    "report_closed",
    "login",
    "registration_completed",
)
DURATION_NAMES = ("application_submitted", "case_decided", "report_closed")


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    trend: Trend
    unit: str = ""  # "", "percent", "days", "minutes"

    @property
    def judgement(self) -> str:
        """Whether the change is "good", "bad" or "neutral": more applications are neither, a longer processing
        time is bad, a higher completion rate good. The colour of a trend follows this, not its direction."""
        if self.trend.direction not in ("up", "down"):
            return "neutral"
        better = KPI_BETTER.get(self.code)
        if better is None:
            return "neutral"
        return "good" if self.trend.direction == better else "bad"


# The direction in which a figure gets better; figures not named here (counts of use) are neutral.
KPI_BETTER = {
    "completion": "up",
    "on_time": "up",
    "closed": "up",
    "abandonment": "down",
    "time_to_complete": "down",
    "processing": "down",
    "backlog": "down",
    "cancelled": "down",
    "no_show": "down",
    "time_to_close": "down",
}


@dataclass(frozen=True)
class ServiceRow:
    key: str
    name: str
    starts: int
    submissions: int
    previous_submissions: int
    completion_rate: float | None
    abandonment_rate: float | None
    median_minutes: float | None
    counter: int

    @property
    def trend(self) -> Trend:
        return Trend(self.submissions, self.previous_submissions)


@dataclass(frozen=True)
class ProcessingRow:
    key: str
    name: str
    decided: int
    durations: Durations
    promised_days: int | None
    on_time_rate: float | None
    backlog: int


@dataclass(frozen=True)
class SeriesPoint:
    label: str
    start: date
    starts: int
    submissions: int


@dataclass
class Overview:
    scope: Scope
    period: Period
    previous: Period
    kpis: list[Kpi]
    services: list[ServiceRow]
    payment_methods: list[Share]
    trust_levels: list[Share]
    login_methods: list[Share]
    login_trust_levels: list[Share]
    channels: list[Share]
    processing: list[ProcessingRow]
    appointments: list[Kpi]
    reports: list[Kpi]
    report_categories: list[Share]
    series: list[SeriesPoint]
    has_reports: bool = False
    has_data: bool = False
    notes: list[str] = field(default_factory=list)


def services_by_key(*, municipality: Municipality) -> dict[str, ServiceSummary]:
    return {service.key: service for service in service_summaries(municipality=municipality)}


def _sum(counts: dict[tuple[str, str], int], name: str, keys: Iterable[str] | None = None) -> int:
    wanted = set(keys) if keys is not None else None
    return sum(n for (event, key), n in counts.items() if event == name and (wanted is None or key in wanted))


def _median(histograms: dict[tuple[str, str], dict[int, int]], name: str, key: str | None = None) -> Durations:
    return Durations.of(
        histogram.merge(h for (event, k), h in histograms.items() if event == name and (key is None or k == key))
    )


def series_unit(period: Period) -> str:
    """What one point of the period's time series spans: per day up to 31 days, per ISO week up to 120 days, else
    per month."""
    return "day" if period.days <= 31 else "week" if period.days <= 120 else "month"


def series_unit_label(period: Period) -> str:
    return {"day": _("Day"), "week": _("Week"), "month": _("Month")}[series_unit(period)]


def _series(period: Period, daily: dict[str, dict[date, int]]) -> list[SeriesPoint]:
    from django.utils.formats import date_format

    unit = series_unit(period)
    points: list[SeriesPoint] = []
    day = period.start
    while day <= period.end:
        if unit == "day":
            stop, label = day, date_format(day, "D j.n.")
        elif unit == "week":
            stop = min(period.end, day + timedelta(days=6 - day.weekday()))
            label = _("Week %(week)s") % {"week": day.isocalendar().week}
        else:
            nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
            stop, label = min(period.end, nxt - timedelta(days=1)), date_format(day, "M Y")
        days = [day + timedelta(days=i) for i in range((stop - day).days + 1)]
        points.append(
            SeriesPoint(
                label=label,
                start=day,
                starts=sum(daily.get("service_started", {}).get(d, 0) for d in days),
                submissions=sum(daily.get("application_submitted", {}).get(d, 0) for d in days),
            )
        )
        day = stop + timedelta(days=1)
    return points


def overview(*, scope: Scope, period: Period) -> Overview:
    previous = period.previous()
    current = totals(scope=scope, start=period.start, end=period.end, names=OVERVIEW_NAMES)
    before = totals(scope=scope, start=previous.start, end=previous.end, names=OVERVIEW_NAMES)
    pairs = [
        ("application_submitted", "method"),
        ("application_submitted", "trust_level"),
        ("case_decided", "on_time"),
        ("report_filed", "category"),
    ]
    if scope.everything:
        pairs += [("login", "login_method"), ("login", "trust_level")]
    parts = breakdown(scope=scope, start=period.start, end=period.end, pairs=pairs)
    on_time_before = breakdown(
        scope=scope, start=previous.start, end=previous.end, pairs=[("case_decided", "on_time")]
    ).get(("case_decided", "on_time"), {})
    histograms = duration_histograms(scope=scope, start=period.start, end=period.end, names=DURATION_NAMES)
    histograms_before = duration_histograms(scope=scope, start=previous.start, end=previous.end, names=DURATION_NAMES)
    open_cases = backlog(scope=scope, ends=[period.end, previous.end])
    daily = daily_series(
        scope=scope, start=period.start, end=period.end, names=("service_started", "application_submitted")
    )
    catalogue = services_by_key(municipality=scope.municipality)

    def trend(name: str) -> Trend:
        return Trend(_sum(current, name), _sum(before, name))

    starts, submissions = _sum(current, "service_started"), _sum(current, "application_submitted")
    starts_before, submissions_before = _sum(before, "service_started"), _sum(before, "application_submitted")
    completion = Trend(rate(submissions, starts), rate(submissions_before, starts_before))
    abandonment = Trend(
        None if completion.current is None else 1 - completion.current,
        None if completion.previous is None else 1 - completion.previous,
    )
    to_complete = _median(histograms, "application_submitted")
    to_complete_before = _median(histograms_before, "application_submitted")
    processing_all = _median(histograms, "case_decided")
    processing_before = _median(histograms_before, "case_decided")
    kpis = [
        Kpi("starts", _("Applications started"), trend("service_started")),
        Kpi("submissions", _("Applications sent"), trend("application_submitted")),
        Kpi("completion", _("Completion rate"), completion, "percent"),
        Kpi("abandonment", _("Abandonment rate"), abandonment, "percent"),
        Kpi(
            "time_to_complete",
            _("Median time to complete"),
            Trend(to_complete.median_minutes, to_complete_before.median_minutes),
            "minutes",
        ),
        Kpi(
            "processing",
            _("Median processing time"),
            Trend(processing_all.median_days, processing_before.median_days),
            "days",
        ),
        Kpi(
            "backlog",
            _("Open cases at the end of the period"),
            Trend(sum(open_cases[period.end].values()), sum(open_cases[previous.end].values())),
        ),
    ]
    keys = sorted(
        {key for (name, key) in current if key and name in ("service_started", "application_submitted")}
        | {key for (name, key) in current if key and name == "appointment_confirmed"},
        key=lambda key: catalogue[key].name.lower() if key in catalogue else key,
    )
    rows = []
    for key in keys:
        started, sent = current.get(("service_started", key), 0), current.get(("application_submitted", key), 0)
        completion_rate = rate(sent, started)
        rows.append(
            ServiceRow(
                key=key,
                name=catalogue[key].name if key in catalogue else key,
                starts=started,
                submissions=sent,
                previous_submissions=before.get(("application_submitted", key), 0),
                completion_rate=completion_rate,
                abandonment_rate=None if completion_rate is None else max(0.0, 1 - completion_rate),
                median_minutes=_median(histograms, "application_submitted", key).median_minutes,
                counter=current.get(("appointment_confirmed", key), 0),
            )
        )
    processing = []
    decided_keys = sorted(
        {key for (name, key) in current if name == "case_decided"}
        | {key for key, n in open_cases[period.end].items() if n},
        key=lambda key: catalogue[key].name.lower() if key in catalogue else key,
    )
    for key in decided_keys:
        service = catalogue.get(key)
        processing.append(
            ProcessingRow(
                key=key,
                name=service.name if service else key,
                decided=current.get(("case_decided", key), 0),
                durations=_median(histograms, "case_decided", key),
                promised_days=service.processing_time_days if service else None,
                on_time_rate=None,
                backlog=open_cases[period.end].get(key, 0),
            )
        )
    on_time = parts.get(("case_decided", "on_time"), {})
    methods = {code: n for code, n in parts.get(("application_submitted", "method"), {}).items() if code != "none"}
    counter = _sum(current, "appointment_confirmed")
    appointments = [
        Kpi("booked", _("Appointments booked"), trend("appointment_booked")),
        Kpi("confirmed", _("Appointments confirmed"), trend("appointment_confirmed")),
        Kpi("cancelled", _("Appointments cancelled"), trend("appointment_cancelled")),
        Kpi("no_show", _("Appointments missed (no-show)"), trend("appointment_no_show")),
    ]
    closing = _median(histograms, "report_closed")
    closing_before = _median(histograms_before, "report_closed")
    reports = [
        Kpi("filed", _("Defect reports filed"), trend("report_filed")),
        Kpi("closed", _("Defect reports closed"), trend("report_closed")),
        Kpi(
            "time_to_close",
            _("Median time to close"),
            Trend(closing.median_days, closing_before.median_days),
            "days",
        ),
    ]
    result = Overview(
        scope=scope,
        period=period,
        previous=previous,
        kpis=kpis,
        services=rows,
        payment_methods=shares(methods, "method"),
        trust_levels=shares(
            {code: n for code, n in parts.get(("application_submitted", "trust_level"), {}).items() if code != "none"},
            "trust_level",
        ),
        login_methods=shares(parts.get(("login", "login_method"), {}), "login_method"),
        login_trust_levels=shares(parts.get(("login", "trust_level"), {}), "trust_level"),
        channels=shares({"online": submissions, "counter": counter}, "channel") if submissions or counter else [],
        processing=processing,
        appointments=appointments,
        reports=reports,
        report_categories=shares(parts.get(("report_filed", "category"), {}), "category"),
        series=_series(period, daily),
        has_reports=bool(
            _sum(current, "report_filed") or _sum(current, "report_closed") or _sum(before, "report_filed")
        ),
        has_data=bool(current),
    )
    if on_time:
        result.kpis.append(
            Kpi(
                "on_time",
                _("Decided within the promised time"),
                Trend(
                    rate(on_time.get("true", 0), sum(on_time.values())),
                    rate(on_time_before.get("true", 0), sum(on_time_before.values())),
                ),
                "percent",
            )
        )
    return result


# --- one service: the step funnel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    code: str
    label: str
    reached: int
    stopped: int  # people who reached the previous stage but not this one
    stop_rate: float | None  # stopped / reached at the previous stage
    share_of_starts: float | None
    worst: bool = False


@dataclass(frozen=True)
class FieldRow:
    code: str
    label: str
    step: str
    errors: int
    abandoned: int


@dataclass
class ServiceFigures:
    service: Service
    period: Period
    previous: Period
    kpis: list[Kpi]
    funnel: list[FunnelStep]
    worst_step: FunnelStep | None
    fields: list[FieldRow]
    payment_methods: list[Share]
    trust_levels: list[Share]
    guests: list[Share]
    durations: Durations
    processing: Durations
    promised_days: int
    on_time_rate: float | None
    backlog: int
    appointments: list[Kpi]
    has_data: bool


def service_for_scope(*, scope: Scope, key: str) -> Service | None:
    """The municipality's service if the scope may see it; None otherwise (the page answers 404)."""
    if not scope.allows(key):
        return None
    return service_get(municipality=scope.municipality, key=key) if key else None


def funnel_steps(service: Service, starts: int, completed: dict[str, int], submitted: int) -> list[FunnelStep]:
    """Started, every step of the form in its order, sent: how many reached each, and where most stopped."""
    form = service.data.get("form") or {}
    stages = [("start", _("Started"), starts)]
    for step in form.get("layout", {}).get("steps", []):
        stages.append((step["id"], localized(step["title"]), completed.get(step["id"], 0)))
    stages.append(("submitted", _("Checked and sent"), submitted))
    steps: list[FunnelStep] = []
    previous = None
    for code, label, reached in stages:
        stopped = max(0, previous - reached) if previous is not None else 0
        steps.append(
            FunnelStep(
                code=code,
                label=label,
                reached=reached,
                stopped=stopped,
                stop_rate=rate(stopped, previous) if previous is not None else None,
                share_of_starts=rate(reached, starts),
            )
        )
        previous = reached
    worst = max(steps[1:], key=lambda step: step.stopped, default=None)
    if worst is None or worst.stopped == 0:
        return steps
    return [FunnelStep(**{**step.__dict__, "worst": True}) if step.code == worst.code else step for step in steps]


def service_figures(*, scope: Scope, service: Service, period: Period) -> ServiceFigures:
    previous = period.previous()
    only = frozenset({service.key})
    names = (*OVERVIEW_NAMES, "field_abandoned")
    current = totals(scope=scope, start=period.start, end=period.end, names=names, service_keys=only)
    before = totals(scope=scope, start=previous.start, end=previous.end, names=names, service_keys=only)
    parts = breakdown(
        scope=scope,
        start=period.start,
        end=period.end,
        service_keys=only,
        pairs=[
            ("step_completed", "step"),
            ("field_invalid", "field"),
            ("field_abandoned", "field"),
            ("application_submitted", "method"),
            ("application_submitted", "trust_level"),
            ("service_started", "guest"),
            ("case_decided", "on_time"),
        ],
    )
    histograms = duration_histograms(
        scope=scope, start=period.start, end=period.end, names=DURATION_NAMES, service_keys=only
    )
    open_cases = backlog(scope=scope, ends=[period.end], service_keys=only)
    starts, submitted = _sum(current, "service_started"), _sum(current, "application_submitted")
    funnel = funnel_steps(service, starts, parts.get(("step_completed", "step"), {}), submitted)
    layout = (service.data.get("form") or {}).get("layout", {})
    step_of = {name: localized(step["title"]) for step in layout.get("steps", []) for name in step["fields"]}
    errors = parts.get(("field_invalid", "field"), {})
    abandoned = parts.get(("field_abandoned", "field"), {})
    fields = sorted(
        (
            FieldRow(
                code=name,
                label=localized(layout.get("fields", {}).get(name, {}).get("label")) or name,
                step=step_of.get(name, ""),
                errors=errors.get(name, 0),
                abandoned=abandoned.get(name, 0),
            )
            for name in set(errors) | set(abandoned)
        ),
        key=lambda row: (-row.abandoned, -row.errors, row.code),
    )
    on_time = parts.get(("case_decided", "on_time"), {})

    def trend(name: str) -> Trend:
        return Trend(_sum(current, name), _sum(before, name))

    completion = Trend(
        rate(submitted, starts), rate(_sum(before, "application_submitted"), _sum(before, "service_started"))
    )
    worst = next((step for step in funnel if step.worst), None)
    return ServiceFigures(
        service=service,
        period=period,
        previous=previous,
        kpis=[
            Kpi("starts", _("Applications started"), trend("service_started")),
            Kpi("submissions", _("Applications sent"), trend("application_submitted")),
            Kpi("completion", _("Completion rate"), completion, "percent"),
            Kpi("decided", _("Decisions"), trend("case_decided")),
        ],
        funnel=funnel,
        worst_step=worst,
        fields=fields[:10],
        payment_methods=shares(
            {c: n for c, n in parts.get(("application_submitted", "method"), {}).items() if c != "none"}, "method"
        ),
        trust_levels=shares(
            {c: n for c, n in parts.get(("application_submitted", "trust_level"), {}).items() if c != "none"},
            "trust_level",
        ),
        guests=shares(parts.get(("service_started", "guest"), {}), "guest"),
        durations=_median(histograms, "application_submitted"),
        processing=_median(histograms, "case_decided"),
        promised_days=service.processing_time_days,
        on_time_rate=rate(on_time.get("true", 0), sum(on_time.values())),
        backlog=sum(open_cases[period.end].values()),
        appointments=[
            Kpi("confirmed", _("Appointments confirmed"), trend("appointment_confirmed")),
            Kpi("cancelled", _("Appointments cancelled"), trend("appointment_cancelled")),
            Kpi("no_show", _("Appointments missed (no-show)"), trend("appointment_no_show")),
        ],
        has_data=bool(current),
    )


# --- comparison between municipalities ---------------------------------------------------------------------------


def settings_for(municipality: Municipality) -> AnalyticsSettings:
    """The municipality's choices; both opt-ins are off until someone switches them on."""
    found = AnalyticsSettings.objects.filter(municipality=municipality).first()
    return found or AnalyticsSettings(municipality=municipality)


def comparing_municipalities() -> list[Municipality]:
    return list(Municipality.objects.filter(analytics_settings__compare=True).order_by("name"))


def publishing_municipalities() -> list[Municipality]:
    """The municipalities whose KPIs are published as open data (opt-in)."""
    return list(Municipality.objects.filter(analytics_settings__publish_open_data=True).order_by("name"))


@dataclass(frozen=True)
class ComparisonColumn:
    municipality: Municipality
    counts: dict[str, int]
    methods: dict[str, int]
    to_complete: Durations
    processing: Durations


COMPARED_NAMES = (
    "service_started",
    "application_submitted",
    "case_decided",
    "appointment_confirmed",
    "appointment_no_show",
    "login",
    "report_filed",
)


def comparison(*, period: Period, service_keys: frozenset[str] | None) -> list[ComparisonColumn]:
    """The same figures for every municipality that takes part, side by side (counts as they are: the caller
    normalises and suppresses)."""
    municipalities = comparing_municipalities()
    if not municipalities:
        return []

    common: dict[str, Any] = {
        "municipalities": municipalities,
        "start": period.start,
        "end": period.end,
        "service_keys": service_keys,
    }
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    names = [name for name in COMPARED_NAMES if service_keys is None or name != "login"]  # logins: no service
    for (municipality_id, name), n in _summed(
        "count", group=("municipality_id", "name"), condition=Q(dimension="", name__in=names), **common
    ).items():
        counts[municipality_id][name] = n
    methods: dict[int, dict[str, int]] = defaultdict(dict)
    for (municipality_id, value), n in _summed(
        "count",
        group=("municipality_id", "value"),
        condition=Q(name="application_submitted", dimension="method"),
        **common,
    ).items():
        methods[municipality_id][value] = n
    histograms: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for (municipality_id, name, bucket), n in _summed(
        "duration",
        group=("municipality_id", "name", "bucket"),
        condition=Q(name__in=["application_submitted", "case_decided"]),
        **common,
    ).items():
        histograms[(municipality_id, name)][bucket] = n
    return [
        ComparisonColumn(
            municipality=m,
            counts=dict(counts[m.pk]),
            methods=methods[m.pk],
            to_complete=Durations.of(histograms[(m.pk, "application_submitted")]),
            processing=Durations.of(histograms[(m.pk, "case_decided")]),
        )
        for m in municipalities
    ]
