from pathlib import Path

from django.core.management.base import no_translations

from rathaus.core.csvimport import CsvImportCommand
from rathaus.registers.services import parking_zones_import
from rathaus.registers.zones_csv import ZoneRows, parking_zones_parse

FORMAT = """

example:
  zone,zone_name,street,number_from,number_to,parity,postal_code
  A,Altstadt,Heidestraße,,,,
  B,Bahnhofsviertel,Bahnhofstraße,1,99,odd,

columns (header row, any order; German names such as strasse, von, bis, seite, plz work too):
  zone         required  zone code, e.g. A
  zone_name    required  zone name, e.g. Altstadt (in at least one row of each zone)
  street       required  street as signposted, e.g. Heidestraße
  number_from  optional  first house number of the part of the street (empty: from the start)
  number_to    optional  last house number (empty: to the end)
  parity       optional  all, odd or even (alle, ungerade, gerade; empty: all)
  postal_code  optional  only for streets of the same name under several postal codes
separator: comma, semicolon or tab; encoding: UTF-8 or Windows-1252. Lines starting with # are skipped.
The file is the complete list: zones that are not in it are removed.
"""


class Command(CsvImportCommand):
    command = "import_parking_zones"
    what = "the CSV file of the zones"
    help = (
        "Import a municipality's residents' parking zones (Bewohnerparkzonen) from a CSV file. All or nothing: "
        "every line is checked first, and a file with problems imports nothing. Importing the same file again "
        "changes nothing." + FORMAT
    )

    @no_translations  # English like the other commands; the admin shows the same problems in German
    def handle(self, *args, municipality: str, file: Path, check: bool, **options) -> None:
        target = self.municipality(municipality)
        parsed = self.parse(file, parking_zones_parse)
        if parsed.encoding != "utf-8":
            self.stdout.write(self.style.WARNING(f"{file} is not UTF-8; read it as Windows-1252."))
        self.stdout.write(
            f"{len(parsed.zones)} zones with {parsed.street_count} streets or parts of streets are valid."
        )
        if check:
            return

        def progress(zone: ZoneRows, outcome: str) -> None:
            self.stdout.write(f"  zone {zone.code} {zone.name}: {len(zone.streets)} streets, {outcome}")

        report = parking_zones_import(municipality=target, parsed=parsed, actor=None, progress=progress)
        for code in report.removed:
            self.stdout.write(f"  zone {code}: removed (not in the file)")
        self.stdout.write(
            self.style.SUCCESS(
                f"{target.name}: {len(report.created)} new, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.removed)} removed zones; {report.streets} streets."
            )
        )
