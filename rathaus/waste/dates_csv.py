"""Reading collection days from the waste company's CSV. Checks everything against the municipality's districts and
waste types, writes nothing.

The format (one row per collection; the header names the columns, in any order):

    district,waste_type,date
    1,rest,2026-01-07
    1,bio,14.01.2026

district    required  the code of the collection district (set up in the administration), such as 1
waste_type  required  the code of the waste type, such as rest, bio, papier, gelb, sperr
date        required  the day of the collection: 2026-01-07 or 07.01.2026

German column names are understood too (bezirk, abfallart or art, datum). Separator, encoding and comments as in
rathaus.core.csvfiles. A file is the complete list of its years: for every district, waste type and year that
appear in it, the file's days replace the days stored before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from rathaus.core.csvfiles import CsvInvalid, Problem, csv_table

COLUMNS = ["district", "waste_type", "date"]
_ALIASES = {
    "district": "district",
    "bezirk": "district",
    "abfuhrbezirk": "district",
    "waste_type": "waste_type",
    "type": "waste_type",
    "art": "waste_type",
    "abfallart": "waste_type",
    "date": "date",
    "day": "date",
    "datum": "date",
    "termin": "date",
}
_GERMAN_DATE = re.compile(r"^(?P<day>[0-9]{1,2})\.(?P<month>[0-9]{1,2})\.(?P<year>[0-9]{4})$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class WasteDatesInvalid(CsvInvalid):
    """The file cannot be imported; `problems` name line, column and reason of each."""


@dataclass(frozen=True)
class DateRow:
    line: int
    district: str  # code as stored
    waste_type: str  # code as stored
    day: date


@dataclass(frozen=True)
class ParsedDates:
    rows: list[DateRow]
    encoding: str

    def years(self) -> list[int]:
        return sorted({row.day.year for row in self.rows})


def parse_day(text: str) -> date | None:
    """A day written as 2026-01-07 or 7.1.2026; None for anything else."""
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        match = _GERMAN_DATE.match(text)
        if match:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return None


def waste_dates_parse(data: bytes, *, districts: Mapping[str, str], waste_types: Mapping[str, str]) -> ParsedDates:
    """Read and check the whole file against the municipality's codes (`districts` and `waste_types` map a code as
    it may be written, case-folded, to the stored code). Raises WasteDatesInvalid naming every problem."""
    try:
        table = csv_table(data, columns=COLUMNS, required=COLUMNS, aliases=_ALIASES)
    except CsvInvalid as invalid:
        raise WasteDatesInvalid(invalid.problems) from None
    problems = list(table.problems)
    rows: list[DateRow] = []
    seen: dict[tuple[str, str, date], int] = {}
    for line, row in table.rows:
        before = len(problems)
        district = districts.get(row["district"].casefold())
        if not row["district"]:
            problems.append(Problem(line, "district", _("The district is missing.")))
        elif district is None:
            problems.append(
                Problem(
                    line,
                    "district",
                    _("%(value)s is not a district of the municipality (known: %(known)s).")
                    % {"value": row["district"], "known": ", ".join(sorted(set(districts.values()))) or "–"},
                )
            )
        waste_type = waste_types.get(row["waste_type"].casefold())
        if not row["waste_type"]:
            problems.append(Problem(line, "waste_type", _("The waste type is missing.")))
        elif waste_type is None:
            problems.append(
                Problem(
                    line,
                    "waste_type",
                    _("%(value)s is not a waste type of the municipality (known: %(known)s).")
                    % {"value": row["waste_type"], "known": ", ".join(sorted(set(waste_types.values()))) or "–"},
                )
            )
        day = parse_day(row["date"])
        if not row["date"]:
            problems.append(Problem(line, "date", _("The date is missing.")))
        elif day is None:
            problems.append(
                Problem(
                    line,
                    "date",
                    _("%(value)s is not a date such as 2026-01-07 or 07.01.2026.") % {"value": row["date"]},
                )
            )
        if len(problems) > before or district is None or waste_type is None or day is None:
            continue
        earlier = seen.setdefault((district, waste_type, day), line)
        if earlier != line:
            problems.append(Problem(line, "date", _("The same collection as in line %(other)s.") % {"other": earlier}))
            continue
        rows.append(DateRow(line, district, waste_type, day))
    if problems:
        raise WasteDatesInvalid(problems)
    return ParsedDates(rows=rows, encoding=table.encoding)
