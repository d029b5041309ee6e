"""Reading tabular files that staff export from their own systems (Excel, specialised software). Checks, never writes.

The separator may be a comma, a semicolon (German Excel) or a tab; the encoding UTF-8 (with or without BOM) or
Windows-1252. Empty lines and lines starting with # are skipped. The first other line is the header: it names the
columns in any order, under their English names or the German aliases each importer knows. Problems name the
line, the column and the reason, so that the person who made the file can fix it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    line: int
    column: str  # a column name, or "" for the whole line
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class CsvInvalid(Exception):
    """The file cannot be imported; `problems` name line, column and reason of each."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class Table:
    """The rows of a file as {column: value} with their line numbers; `problems` of lines that could not be read."""

    encoding: str  # "utf-8" or "cp1252"
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def csv_decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was read in."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Excel on German Windows saves "CSV (Trennzeichen-getrennt)" in Windows-1252.
        return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def _header(
    values: list[str], *, line: int, columns: Sequence[str], required: Iterable[str], aliases: Mapping[str, str]
) -> tuple[list[str], list[Problem]]:
    header: list[str] = []
    problems = []
    for value in values:
        name = aliases.get(value.casefold().replace(" ", "_").replace("-", "_"))
        if name is None:
            problems.append(
                Problem(line, value, _("unknown column (known: %(columns)s).") % {"columns": ", ".join(columns)})
            )
        elif name in header:
            problems.append(Problem(line, value, _("This column appears twice.")))
        header.append(name or value)
    for name in required:
        if name not in header:
            problems.append(Problem(line, name, _("This column is missing.")))
    return header, problems


def csv_table(data: bytes, *, columns: Sequence[str], required: Iterable[str], aliases: Mapping[str, str]) -> Table:
    """Read the whole file. Raises CsvInvalid when the header is wrong or the file has no rows; lines with more
    values than the header are left out and named in `Table.problems`. Values are stripped of spaces.

    `aliases` maps every accepted spelling of a column name (case-folded, "_" for spaces and hyphens) to its name
    in `columns`.
    """
    text, encoding = csv_decode(data)
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    table = Table(encoding=encoding)
    header: list[str] | None = None
    for cells in reader:
        line = reader.line_num
        values = [cell.strip() for cell in cells]
        if not any(values) or values[0].startswith("#"):
            continue
        if header is None:
            header, problems = _header(values, line=line, columns=columns, required=required, aliases=aliases)
            if problems:
                raise CsvInvalid(problems)
            continue
        if len(values) > len(header) and any(values[len(header) :]):
            table.problems.append(
                Problem(
                    line,
                    "",
                    _("%(count)s values, but the header names %(columns)s columns.")
                    % {"count": len(values), "columns": len(header)},
                )
            )
            continue
        table.rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))))
    if header is None:
        raise CsvInvalid([Problem(1, "", _("The file is empty; it needs a header and rows."))])
    if not table.rows and not table.problems:
        raise CsvInvalid([Problem(1, "", _("The file has a header but no rows."))])
    return table
