"""Reading document statuses from the export of the document system (or a list kept by hand). Checks, writes nothing.

The format (one row per document; the header names the columns, in any order):

    number,status,kind
    L01X00T47,ready,personalausweis
    C4J0R2N71,in_production,reisepass

number  required  the serial number of the new document (9 characters, a 10th check digit is allowed)
status  required  in_production, ready or picked_up (German: in Produktion, abholbereit, abgeholt)
kind    optional  personalausweis or reisepass (German short forms PA, RP work too); empty: personalausweis

German column names are understood too (nummer, seriennummer, stand, dokument). Separator, encoding and comments
as in rathaus.core.csvfiles. Rows update the statuses of their numbers; numbers not in the file stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rathaus.core.csvfiles import CsvInvalid, Problem, csv_table

from .models import DocumentStatus
from .numbers import NumberInvalid, number_normalise

COLUMNS = ["number", "status", "kind"]
_ALIASES = {
    "number": "number",
    "nummer": "number",
    "seriennummer": "number",
    "dokumentnummer": "number",
    "ausweisnummer": "number",
    "status": "status",
    "stand": "status",
    "kind": "kind",
    "dokument": "kind",
    "dokumentart": "kind",
    "art": "kind",
}
STATUSES = {
    "in_production": DocumentStatus.Status.IN_PRODUCTION,
    "in produktion": DocumentStatus.Status.IN_PRODUCTION,
    "produktion": DocumentStatus.Status.IN_PRODUCTION,
    "ready": DocumentStatus.Status.READY,
    "abholbereit": DocumentStatus.Status.READY,
    "picked_up": DocumentStatus.Status.PICKED_UP,
    "abgeholt": DocumentStatus.Status.PICKED_UP,
}
KINDS = {
    "": DocumentStatus.Kind.ID_CARD,
    "personalausweis": DocumentStatus.Kind.ID_CARD,
    "pa": DocumentStatus.Kind.ID_CARD,
    "reisepass": DocumentStatus.Kind.PASSPORT,
    "rp": DocumentStatus.Kind.PASSPORT,
    "pass": DocumentStatus.Kind.PASSPORT,
}


class StatusesInvalid(CsvInvalid):
    """The file cannot be imported; `problems` name line, column and reason of each."""


@dataclass(frozen=True)
class StatusRow:
    line: int
    number: str  # normalised
    status: str
    kind: str


def statuses_parse(data: bytes) -> list[StatusRow]:
    """Read and check the whole file. Raises StatusesInvalid naming every problem (line, column, reason)."""
    try:
        table = csv_table(data, columns=COLUMNS, required=["number", "status"], aliases=_ALIASES)
    except CsvInvalid as invalid:
        raise StatusesInvalid(invalid.problems) from None
    problems = list(table.problems)
    rows = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        before = len(problems)
        number = ""
        try:
            number = number_normalise(row["number"])
        except NumberInvalid as invalid:
            problems.append(Problem(line, "number", f"{row['number']}: {invalid.message}"))
        status = STATUSES.get(" ".join(row["status"].casefold().split()))
        if status is None:
            problems.append(
                Problem(
                    line,
                    "status",
                    _("%(value)s: use in_production, ready or picked_up (in Produktion, abholbereit, abgeholt).")
                    % {"value": row["status"]},
                )
            )
        kind = KINDS.get(row.get("kind", "").casefold())
        if kind is None:
            problems.append(
                Problem(line, "kind", _("%(value)s: use personalausweis or reisepass.") % {"value": row["kind"]})
            )
        if len(problems) > before or status is None or kind is None:
            continue
        earlier = seen.setdefault(number, line)
        if earlier != line:
            problems.append(Problem(line, "number", _("The same number as in line %(other)s.") % {"other": earlier}))
            continue
        rows.append(StatusRow(line, number, str(status), str(kind)))
    if problems:
        raise StatusesInvalid(problems)
    return rows
