"""Exports of published tables as CSV (semicolon, UTF-8 with BOM, as German spreadsheets expect) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter

from . import suppression
from .published import Cell, Table


def _text(value: Cell) -> str:
    if value is None:
        return suppression.text(None)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue()


def tables_xlsx(tables: Sequence[Table], *, title: str) -> bytes:
    """One worksheet per table; numbers stay numbers, withheld cells read "< 5"."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": title})
    bold = book.add_format({"bold": True})
    for table in tables:
        sheet = book.add_worksheet(table.code[:31])
        sheet.write_row(0, 0, table.columns, bold)
        for r, row in enumerate(table.rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    sheet.write_string(r, c, suppression.text(None))
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
        sheet.set_column(0, max(0, len(table.columns) - 1), 18)
    book.close()
    return buffer.getvalue()
