"""Reading a municipality's residents' parking zones from CSV. Checks everything, writes nothing.

The format (one row per street or part of a street; the header names the columns, in any order):

    zone,zone_name,street,number_from,number_to,parity,postal_code
    A,Altstadt,Heidestraße,,,,
    B,Bahnhofsviertel,Bahnhofstraße,1,99,odd,
    B,,Bahnhofstraße,2,50,even,61350

zone         required  the zone's code, up to 10 letters, digits or hyphens (stored in upper case)
zone_name    required  the zone's name; needed in at least one row of the zone, the same in all rows that give it
street       required  the street as it is signposted; spelling variants are matched anyway
number_from  optional  first house number of the part (letter suffixes are ignored); empty: from the start
number_to    optional  last house number of the part; empty: to the end
parity       optional  all, odd or even (German: alle, ungerade, gerade); empty: all
postal_code  optional  only where the municipality has streets of the same name under several postal codes

German column names are understood too (zone, zonenname, strasse, von, bis, seite, plz). The separator may be
a comma, a semicolon (German Excel) or a tab; the encoding UTF-8 (with or without BOM) or Windows-1252.
Empty lines and lines starting with # are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rathaus.core.addresses import Parity, house_numbers, street_key
from rathaus.core.csvfiles import CsvInvalid, Problem, csv_table
from rathaus.core.text import ascii_digits

COLUMNS = ["zone", "zone_name", "street", "number_from", "number_to", "parity", "postal_code"]
REQUIRED_COLUMNS = ["zone", "zone_name", "street"]
_ALIASES = {
    "zone": "zone",
    "zone_code": "zone",
    "code": "zone",
    "zonenkennung": "zone",
    "zone_name": "zone_name",
    "zonename": "zone_name",
    "zonenname": "zone_name",
    "street": "street",
    "strasse": "street",
    "straße": "street",
    "number_from": "number_from",
    "from": "number_from",
    "von": "number_from",
    "hausnummer_von": "number_from",
    "number_to": "number_to",
    "to": "number_to",
    "bis": "number_to",
    "hausnummer_bis": "number_to",
    "parity": "parity",
    "side": "parity",
    "seite": "parity",
    "postal_code": "postal_code",
    "plz": "postal_code",
}
_PARITIES = {
    "": Parity.ALL,
    "all": Parity.ALL,
    "alle": Parity.ALL,
    "odd": Parity.ODD,
    "ungerade": Parity.ODD,
    "even": Parity.EVEN,
    "gerade": Parity.EVEN,
}


class ParkingZonesInvalid(CsvInvalid):
    """The file cannot be imported; `problems` name line, column and reason of each."""


@dataclass(frozen=True)
class StreetRow:
    line: int
    street: str
    number_from: int | None
    number_to: int | None
    parity: str
    postal_code: str

    def key(self) -> tuple[str, int | None, int | None, str, str]:
        return (street_key(self.street), self.number_from, self.number_to, self.parity, self.postal_code)


@dataclass
class ZoneRows:
    code: str
    name: str
    line: int  # where the zone's name was given
    streets: list[StreetRow] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedZones:
    zones: list[ZoneRows]
    encoding: str  # "utf-8" or "cp1252"

    @property
    def street_count(self) -> int:
        return sum(len(zone.streets) for zone in self.zones)


def _number(text: str, *, line: int, column: str, problems: list[Problem]) -> int | None:
    if not text:
        return None
    numbers = house_numbers(text)
    if numbers is None or len(numbers) != 1 or numbers[0] < 1:
        problems.append(Problem(line, column, _("%(value)s is not a house number such as 17.") % {"value": text}))
        return None
    return numbers[0]


def parking_zones_parse(data: bytes) -> ParsedZones:
    """Read and check the whole file. Raises ParkingZonesInvalid naming every problem (line, column, reason)."""
    try:
        table = csv_table(data, columns=COLUMNS, required=REQUIRED_COLUMNS, aliases=_ALIASES)
    except CsvInvalid as invalid:
        raise ParkingZonesInvalid(invalid.problems) from None
    problems = list(table.problems)
    zones: dict[str, ZoneRows] = {}
    seen: dict[tuple[str, tuple[str, int | None, int | None, str, str]], int] = {}
    for line, row in table.rows:
        _row(row, line=line, zones=zones, seen=seen, problems=problems)
    for zone in zones.values():
        if not zone.name:
            problems.append(
                Problem(
                    zone.streets[0].line,
                    "zone_name",
                    _("Zone %(zone)s has no name in any row.") % {"zone": zone.code},
                )
            )
    if problems:
        raise ParkingZonesInvalid(problems)
    return ParsedZones(zones=list(zones.values()), encoding=table.encoding)


def _row(
    row: dict[str, str],
    *,
    line: int,
    zones: dict[str, ZoneRows],
    seen: dict[tuple[str, tuple[str, int | None, int | None, str, str]], int],
    problems: list[Problem],
) -> None:
    before = len(problems)
    code = row.get("zone", "").upper()
    name = " ".join(row.get("zone_name", "").split())
    street = " ".join(row.get("street", "").split())
    if not code:
        problems.append(Problem(line, "zone", _("The zone is missing.")))
    elif len(code) > 10 or not all(char.isalnum() or char == "-" for char in code) or code.startswith("-"):
        problems.append(
            Problem(line, "zone", _("%(value)s: use up to 10 letters, digits or hyphens.") % {"value": code})
        )
    if len(name) > 100:
        problems.append(Problem(line, "zone_name", _("At most 100 characters.")))
    if not street or not street_key(street):
        problems.append(Problem(line, "street", _("The street is missing.")))
    elif len(street) > 150:
        problems.append(Problem(line, "street", _("At most 150 characters.")))
    number_from = _number(row.get("number_from", ""), line=line, column="number_from", problems=problems)
    number_to = _number(row.get("number_to", ""), line=line, column="number_to", problems=problems)
    if number_from is not None and number_to is not None and number_from > number_to:
        problems.append(
            Problem(
                line,
                "number_to",
                _("%(last)s is smaller than the first number %(first)s.") % {"last": number_to, "first": number_from},
            )
        )
    parity_text = row.get("parity", "")
    parity = _PARITIES.get(parity_text.casefold())
    if parity is None:
        problems.append(
            Problem(
                line,
                "parity",
                _("%(value)s: use all, odd or even (alle, ungerade, gerade).") % {"value": parity_text},
            )
        )
    postal_code = row.get("postal_code", "")
    if postal_code and not (ascii_digits(postal_code) and len(postal_code) == 5):
        problems.append(
            Problem(line, "postal_code", _("%(value)s is not a postal code of five digits.") % {"value": postal_code})
        )
    if len(problems) > before or parity is None:
        return
    zone = zones.setdefault(code, ZoneRows(code=code, name=name, line=line))
    if name and not zone.name:
        zone.name, zone.line = name, line
    elif name and name != zone.name:
        problems.append(
            Problem(
                line,
                "zone_name",
                _("Zone %(zone)s is called %(name)s in line %(other)s.")
                % {"zone": code, "name": zone.name, "other": zone.line},
            )
        )
        return
    street_row = StreetRow(line, street, number_from, number_to, str(parity), postal_code)
    earlier = seen.setdefault((code, street_row.key()), line)
    if earlier != line:
        problems.append(
            Problem(line, "street", _("The same part of the street as in line %(other)s.") % {"other": earlier})
        )
        return
    zone.streets.append(street_row)
