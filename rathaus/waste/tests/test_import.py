"""`rathaus import_waste_dates SLUG FILE.csv`: all or nothing, problems named by line and column, progress shown."""

from datetime import date

import pytest
from django.core.management.base import CommandError

from rathaus.waste.models import Collection

from .conftest import csv_of, import_file

pytestmark = pytest.mark.reports


def days(district: str, waste_type: str) -> list[date]:
    return list(
        Collection.objects.filter(district__code=district, waste_type__code=waste_type)
        .order_by("day")
        .values_list("day", flat=True)
    )


def test_the_file_is_imported_with_progress_and_again_changes_nothing(districts, upcoming, tmp_path):
    out, _err = import_file(tmp_path, csv_of(upcoming))
    assert "8 collection days of" in out
    assert "district 1 Altstadt: bio 3, rest 3" in out
    assert "district 2 Nord: papier 2" in out
    assert days("1", "rest") == upcoming["1/rest"]
    again, _err = import_file(tmp_path, csv_of(upcoming))
    assert "0 days new or changed, 0 removed, 8 unchanged" in again


def test_a_file_replaces_the_days_of_its_years_for_its_districts_and_types_only(districts, tmp_path):
    import_file(tmp_path, "district,waste_type,date\n1,rest,2026-03-03\n1,rest,2026-03-17\n2,papier,2026-03-04\n")
    import_file(tmp_path, "bezirk;abfallart;datum\n1;rest;10.03.2026\n1;REST;24.3.2026\n")
    assert days("1", "rest") == [date(2026, 3, 10), date(2026, 3, 24)]
    assert days("2", "papier") == [date(2026, 3, 4)], "other types and districts stay"


def test_a_windows_1252_file_from_excel(districts, tmp_path):
    out, _err = import_file(
        tmp_path, "# Abfuhrtermine Biomüll\nBezirk;Art;Datum\n1;bio;05.03.2026\n", encoding="cp1252"
    )
    assert "not UTF-8" in out
    assert days("1", "bio") == [date(2026, 3, 5)]


BAD = """district,waste_type,date
1,rest,2026-03-03
9,rest,2026-03-10
1,glas,2026-03-10
1,rest,31.02.2026
,rest,
1,rest,2026-03-03
1,rest,2026-03-17,extra
"""


def test_bad_lines_are_named_with_line_column_and_reason_and_nothing_is_imported(districts, tmp_path):
    import_file(tmp_path, "district,waste_type,date\n2,papier,2026-01-07\n")
    with pytest.raises(CommandError, match=r"7 problem\(s\) found; nothing was imported") as raised:
        import_file(tmp_path, BAD)
    assert "rathaus import_waste_dates --help" in str(raised.value)
    assert days("1", "rest") == [], "nothing of the file was imported"
    assert days("2", "papier") == [date(2026, 1, 7)], "and nothing removed"


def test_the_problems_name_line_and_column(districts, tmp_path, capsys):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_waste_dates", "musterstadt", str(path), stdout=StringIO(), stderr=err)
    assert [line.split(": ", 1)[1] for line in err.getvalue().splitlines()] == [
        "line 3, column district: 9 is not a district of the municipality (known: 1, 2).",
        "line 4, column waste_type: glas is not a waste type of the municipality (known: bio, papier, rest, sperr).",
        "line 5, column date: 31.02.2026 is not a date such as 2026-01-07 or 07.01.2026.",
        "line 6, column district: The district is missing.",
        "line 6, column date: The date is missing.",
        "line 7, column date: The same collection as in line 2.",
        "line 8: 4 values, but the header names 3 columns.",
    ]


def test_a_wrong_header_and_an_unknown_municipality_are_clear_errors(districts, tmp_path):
    with pytest.raises(CommandError, match="problem"):
        import_file(tmp_path, "bezirk,tonne\n1,rest\n")
    with pytest.raises(CommandError, match=r"Unknown municipality 'nirgendwo'"):
        import_file(tmp_path, "district,waste_type,date\n", slug="nirgendwo")


def test_a_municipality_without_districts_is_told_to_set_them_up(musterstadt, tmp_path):
    with pytest.raises(CommandError, match="no collection districts or waste types yet"):
        import_file(tmp_path, "district,waste_type,date\n1,rest,2026-03-03\n")
