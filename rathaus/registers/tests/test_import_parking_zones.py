"""`rathaus import_parking_zones SLUG FILE.csv`: the municipality's zones become exactly those of the file,
all or nothing, with every problem named by line and column."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rathaus.audit.models import AuditEntry
from rathaus.registers.models import ParkingZone, ParkingZoneStreet
from rathaus.registers.selectors import parking_zone_for_address

GOOD = """zone,zone_name,street,number_from,number_to,parity,postal_code
A,Altstadt,Heidestraße,,,,
A,,Marktplatz,,,,
A,,Bahnhofstraße,2,48,even,
# the odd side of Bahnhofstraße is zone B
B,Bahnhofsviertel,Bahnhofstraße,1,99,odd,

B,Bahnhofsviertel,Hauptstraße,,,all,61350
"""


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_parking_zones", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "zonen.csv"
    path.write_bytes(text.encode(encoding))
    return path


def zones(municipality) -> dict[str, list[str]]:
    return {
        zone.code: sorted(str(street) for street in zone.streets.all())
        for zone in ParkingZone.objects.filter(municipality=municipality)
    }


def test_a_good_file_creates_the_zones_with_their_streets(musterstadt, tmp_path):
    out, err = run("musterstadt", write(tmp_path, GOOD))
    assert err == ""
    assert "2 zones with 5 streets or parts of streets are valid" in out
    assert "zone A Altstadt: 3 streets, created" in out, "progress per zone"
    assert "Musterstadt: 2 new, 0 updated, 0 unchanged, 0 removed zones; 5 streets." in out
    assert ParkingZone.objects.get(municipality=musterstadt, code="B").name == "Bahnhofsviertel"
    assert ParkingZoneStreet.objects.filter(zone__municipality=musterstadt).count() == 5

    def zone_of(street, number, plz="61348"):
        found = parking_zone_for_address(
            municipality=musterstadt, address={"strasse": street, "hausnummer": number, "plz": plz, "ort": "M"}
        )
        return found.code if found else None

    assert zone_of("Heidestr.", "17") == "A"
    assert zone_of("Bahnhofstraße", "8") == "A"
    assert zone_of("Bahnhofstraße", "9") == "B"
    assert zone_of("Hauptstraße", "1", plz="61350") == "B"
    assert zone_of("Hauptstraße", "1", plz="61348") is None


def test_importing_the_same_file_again_changes_nothing(musterstadt, tmp_path):
    path = write(tmp_path, GOOD)
    run("musterstadt", path)
    ids = set(ParkingZoneStreet.objects.values_list("pk", flat=True))
    audit_entries = AuditEntry.objects.count()

    out, _err = run("musterstadt", path)
    assert "0 new, 0 updated, 2 unchanged, 0 removed zones" in out
    assert set(ParkingZoneStreet.objects.values_list("pk", flat=True)) == ids
    assert AuditEntry.objects.count() == audit_entries, "nothing changed, nothing to audit"


def test_the_file_is_the_complete_list_zones_not_in_it_are_removed_and_changed_ones_updated(musterstadt, tmp_path):
    run("musterstadt", write(tmp_path, GOOD))
    changed = "zone,zone_name,street\nA,Altstadt und Markt,Heidestraße\nC,Nordend,Lindenweg\n"
    out, _err = run("musterstadt", write(tmp_path, changed))
    assert "1 new, 1 updated, 0 unchanged, 1 removed zones; 2 streets." in out
    assert "zone B: removed (not in the file)" in out
    assert zones(musterstadt) == {"A": ["Heidestraße"], "C": ["Lindenweg"]}
    assert ParkingZone.objects.get(municipality=musterstadt, code="A").name == "Altstadt und Markt"


def test_the_import_is_audited_with_who_and_what(musterstadt, tmp_path):
    run("musterstadt", write(tmp_path, GOOD))
    entry = AuditEntry.objects.get(action="registers.parking_zones_import")
    assert (entry.municipality, entry.object_type, entry.object_id) == (musterstadt, "municipality", "musterstadt")
    assert entry.actor is None and entry.rule == "import_parking_zones"
    assert entry.changes["zones"] == [[], ["A", "B"]]
    assert entry.changes["streets"] == [0, 5]


def test_other_municipalities_keep_their_zones(musterstadt, beispielhausen, tmp_path):
    run("beispielhausen", write(tmp_path, "zone,zone_name,street\nA,Innenstadt,Marktstraße\n"))
    run("musterstadt", write(tmp_path, GOOD))
    assert zones(beispielhausen) == {"A": ["Marktstraße"]}


def test_german_excel_files_with_semicolons_german_headers_and_windows_1252(musterstadt, tmp_path):
    text = "Zone;Zonenname;Straße;von;bis;Seite;PLZ\r\nA;Altstadt;Schloßstraße;1;30;ungerade;\r\n"
    out, _err = run("musterstadt", write(tmp_path, text, encoding="cp1252"))
    assert "is not UTF-8; read it as Windows-1252" in out
    street = ParkingZoneStreet.objects.get(zone__municipality=musterstadt, zone__code="A")
    assert (street.street, street.number_from, street.number_to, street.parity) == ("Schloßstraße", 1, 30, "odd")


def test_a_utf8_file_with_byte_order_mark_and_tabs(musterstadt, tmp_path):
    path = tmp_path / "zonen.tsv"
    path.write_bytes("\ufeffzone\tzone_name\tstreet\nb\tSüd\tGüterstraße\n".encode())
    run("musterstadt", path)
    assert zones(musterstadt) == {"B": ["Güterstraße"]}, "zone codes are stored in upper case"


BAD = """zone,zone_name,street,number_from,number_to,parity,postal_code
A,Altstadt,Heidestraße,,,,
A,Altstadt,Schloßstraße,30,1,,
,Altstadt,Marktplatz,,,,
A,Altstadt,,,,,
A,Altstadt,Kirchgasse,zehn,,links,6134
A,Neustadt,Gartenweg,,,,
A,Altstadt,Heidestrasse,,,,
C,,Lindenweg,,,,
A,Altstadt,Teichweg,,,,,extra
"""


def test_bad_lines_are_named_with_line_column_and_reason_and_nothing_is_imported(musterstadt, tmp_path):
    ParkingZone.objects.create(municipality=musterstadt, code="Z", name="Bestand")
    with pytest.raises(CommandError, match=r"10 problem\(s\) found; nothing was imported") as raised:
        out, err = StringIO(), StringIO()
        call_command("import_parking_zones", "musterstadt", str(write(tmp_path, BAD)), stdout=out, stderr=err)
    problems = err.getvalue().splitlines()
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "line 3, column number_to: 1 is smaller than the first number 30.",
        "line 4, column zone: The zone is missing.",
        "line 5, column street: The street is missing.",
        "line 6, column number_from: zehn is not a house number such as 17.",
        "line 6, column parity: links: use all, odd or even (alle, ungerade, gerade).",
        "line 6, column postal_code: 6134 is not a postal code of five digits.",
        "line 7, column zone_name: Zone A is called Altstadt in line 2.",
        "line 8, column street: The same part of the street as in line 2.",
        "line 9, column zone_name: Zone C has no name in any row.",
        "line 10: 8 values, but the header names 7 columns.",
    ]
    assert all(problem.startswith(str(tmp_path)) for problem in problems), "each problem names the file"
    assert "rathaus import_parking_zones --help" in str(raised.value)
    assert zones(musterstadt) == {"Z": []}, "nothing was imported, nothing removed"


def test_a_wrong_header_is_named(musterstadt, tmp_path):
    with pytest.raises(CommandError, match="4 problem"):
        out, err = StringIO(), StringIO()
        call_command(
            "import_parking_zones",
            "musterstadt",
            str(write(tmp_path, "zone,strase,farbe\nA,X,Y\n")),
            stdout=out,
            stderr=err,
        )
    assert "line 1, column strase: unknown column (known: zone, zone_name, street" in err.getvalue()
    assert "line 1, column farbe: unknown column" in err.getvalue()
    assert "line 1, column zone_name: This column is missing." in err.getvalue()
    assert "line 1, column street: This column is missing." in err.getvalue()


def test_an_empty_file_is_refused(musterstadt, tmp_path):
    with pytest.raises(CommandError, match="1 problem"):
        run("musterstadt", write(tmp_path, "\n# nothing\n"))
    with pytest.raises(CommandError, match="1 problem"):
        run("musterstadt", write(tmp_path, "zone,zone_name,street\n"))


def test_check_only_validates(musterstadt, tmp_path):
    out, _err = run("musterstadt", write(tmp_path, GOOD), "--check")
    assert "2 zones with 5 streets or parts of streets are valid." in out
    assert not ParkingZone.objects.exists()


def test_unknown_municipality_and_missing_file_are_clear_errors(musterstadt, tmp_path):
    with pytest.raises(CommandError, match=r"Unknown municipality 'nirgendwo' \(known: musterstadt\)"):
        run("nirgendwo", write(tmp_path, GOOD))
    with pytest.raises(CommandError, match="is not a file"):
        run("musterstadt", tmp_path / "fehlt.csv")
