"""Writes of the waste calendar: importing collection days, generating them from rules."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from rathaus.audit.services import audit_append
from rathaus.core.holidays import holiday_region_of

from .dates_csv import ParsedDates
from .models import Collection, CollectionRule, District, WasteType
from .schedule import holidays_of, rule_days

if TYPE_CHECKING:
    from rathaus.accounts.models import User
    from rathaus.tenants.models import Municipality


@dataclass
class DatesImportReport:
    created: int = 0
    removed: int = 0
    unchanged: int = 0
    # (district code, waste type code) -> number of days in the file
    per_district: dict[str, Tally[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.removed)


def codes_of(*, municipality: Municipality) -> tuple[dict[str, str], dict[str, str]]:
    """The municipality's district and waste type codes, keyed by their case-folded spelling (for the CSV check)."""
    districts = {
        code.casefold(): code
        for code in District.objects.filter(municipality=municipality).values_list("code", flat=True)
    }
    types = {
        code.casefold(): code
        for code in WasteType.objects.filter(municipality=municipality).values_list("code", flat=True)
    }
    return districts, types


def _replace_days(
    *,
    district: District,
    waste_type: WasteType,
    start: date,
    end: date,
    wanted: dict[date, date | None],
    source: str,
    report: DatesImportReport,
) -> None:
    """Make the stored days of (district, type) within [start, end] exactly `wanted` (day -> regular day)."""
    existing = {
        collection.day: collection
        for collection in Collection.objects.filter(
            district=district, waste_type=waste_type, day__gte=start, day__lte=end
        )
    }
    created_before = report.created
    stale = [collection.pk for day, collection in existing.items() if day not in wanted]
    if stale:
        Collection.objects.filter(pk__in=stale).delete()
    report.removed += len(stale)
    new = []
    for day, planned in wanted.items():
        collection = existing.get(day)
        if collection is None:
            new.append(
                Collection(district=district, waste_type=waste_type, day=day, planned_day=planned, source=source)
            )
        elif collection.planned_day != planned or collection.source != source:
            collection.planned_day, collection.source = planned, source
            collection.save(update_fields=["planned_day", "source", "updated_at"])
            report.created += 1
        else:
            report.unchanged += 1
    Collection.objects.bulk_create(new)
    report.created += len(new)
    if stale or new or report.created > created_before:
        District.objects.filter(pk=district.pk).update(days_changed_at=timezone.now())


@transaction.atomic
def waste_dates_import(
    *,
    municipality: Municipality,
    parsed: ParsedDates,
    actor: User | None,
    progress: Callable[[District, Tally[str]], None] = lambda district, counts: None,
) -> DatesImportReport:
    """Store the file's collection days (dates_csv.waste_dates_parse checked them against this municipality).

    For every district, waste type and year in the file, its days replace the stored ones; other districts, types
    and years stay as they are. Importing the same file again changes nothing. All or nothing: one transaction.
    """
    report = DatesImportReport()
    districts = {district.code: district for district in District.objects.filter(municipality=municipality)}
    types = {waste_type.code: waste_type for waste_type in WasteType.objects.filter(municipality=municipality)}
    groups: dict[tuple[str, str, int], dict[date, date | None]] = {}
    for row in parsed.rows:
        groups.setdefault((row.district, row.waste_type, row.day.year), {})[row.day] = None
    for district_code in sorted({district for district, _type, _year in groups}):
        district = districts[district_code]
        counts: Tally[str] = Tally()
        for (code, type_code, year), wanted in sorted(groups.items()):
            if code != district_code:
                continue
            _replace_days(
                district=district,
                waste_type=types[type_code],
                start=date(year, 1, 1),
                end=date(year, 12, 31),
                wanted=wanted,
                source=Collection.Source.IMPORT,
                report=report,
            )
            counts[type_code] += len(wanted)
        report.per_district[district_code] = counts
        progress(district, counts)
    if report.changed:
        audit_append(
            actor=actor,
            action="waste.dates_import",
            object_type="municipality",
            object_id=municipality.slug,
            municipality=municipality,
            changes={"years": [[], parsed.years()], "created": [0, report.created], "removed": [report.removed, 0]},
            rule="" if actor else "import_waste_dates",
        )
    return report


@transaction.atomic
def waste_dates_generate(
    *,
    municipality: Municipality,
    year: int,
    actor: User | None,
    progress: Callable[[CollectionRule, int], None] = lambda rule, count: None,
) -> DatesImportReport:
    """The days of `year` from the municipality's collection rules, moved for the public holidays of its Land
    (schedule.holiday_shift). They replace the stored days of `year` for every district and waste type that has a
    rule; imported days of other types stay."""
    report = DatesImportReport()
    is_holiday = holidays_of(holiday_region_of(municipality.official_key))
    start, end = date(year, 1, 1), date(year, 12, 31)
    rules = CollectionRule.objects.filter(district__municipality=municipality).select_related("district", "waste_type")
    for rule in rules.order_by("district__code", "waste_type__position", "waste_type__code"):
        days = rule_days(
            first_day=rule.first_day,
            interval_weeks=rule.interval_weeks,
            last_day=rule.last_day,
            start=start,
            end=end,
            is_holiday=is_holiday,
        )
        wanted = {actual: (planned if planned != actual else None) for planned, actual in days}
        # The window is of planned days; a day moved from 31 December into the next year still belongs to it.
        last = max([end, *wanted])
        _replace_days(
            district=rule.district,
            waste_type=rule.waste_type,
            start=start,
            end=last,
            wanted=wanted,
            source=Collection.Source.RULE,
            report=report,
        )
        report.per_district.setdefault(rule.district.code, Tally())[rule.waste_type.code] += len(wanted)
        progress(rule, len(wanted))
    if report.changed:
        audit_append(
            actor=actor,
            action="waste.dates_generate",
            object_type="municipality",
            object_id=municipality.slug,
            municipality=municipality,
            changes={"year": [None, year], "created": [0, report.created], "removed": [report.removed, 0]},
            rule="" if actor else "generate_waste_dates",
        )
    return report
