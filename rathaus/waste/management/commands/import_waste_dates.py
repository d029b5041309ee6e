from collections import Counter
from pathlib import Path

from django.core.management.base import CommandError, no_translations

from rathaus.core.csvimport import CsvImportCommand
from rathaus.waste.dates_csv import waste_dates_parse
from rathaus.waste.models import District
from rathaus.waste.services import codes_of, waste_dates_import

FORMAT = """

example:
  district,waste_type,date
  1,rest,2026-01-07
  1,bio,14.01.2026

columns (header row, any order; German names bezirk, abfallart or art, datum work too):
  district    required  code of the collection district, e.g. 1 (set up in the admin)
  waste_type  required  code of the waste type, e.g. rest, bio, papier, gelb
  date        required  day of the collection: 2026-01-07 or 07.01.2026
separator: comma, semicolon or tab; encoding: UTF-8 or Windows-1252. Lines starting with # are skipped.
For every district, waste type and year in the file, its days replace the stored ones; the rest stays.
"""


class Command(CsvImportCommand):
    command = "import_waste_dates"
    what = "the CSV file of the collection days"
    help = (
        "Import a municipality's waste collection days (Abfuhrtermine) from a CSV file. All or nothing: every line "
        "is checked first, and a file with problems imports nothing. Importing the same file again changes nothing."
        + FORMAT
    )

    @no_translations  # English like the other commands
    def handle(self, *args, municipality: str, file: Path, check: bool, **options) -> None:
        target = self.municipality(municipality)
        districts, types = codes_of(municipality=target)
        if not districts or not types:
            raise CommandError(
                f"{target.name} has no collection districts or waste types yet. Set them up in the admin "
                "(/admin/waste/) first."
            )
        parsed = self.parse(file, lambda data: waste_dates_parse(data, districts=districts, waste_types=types))
        if parsed.encoding != "utf-8":
            self.stdout.write(self.style.WARNING(f"{file} is not UTF-8; read it as Windows-1252."))
        years = ", ".join(str(year) for year in parsed.years())
        self.stdout.write(f"{len(parsed.rows)} collection days of {years} are valid.")
        if check:
            return

        def progress(district: District, counts: Counter[str]) -> None:
            per_type = ", ".join(f"{code} {count}" for code, count in sorted(counts.items()))
            self.stdout.write(f"  district {district.code} {district.name}: {per_type}")

        report = waste_dates_import(municipality=target, parsed=parsed, actor=None, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{target.name}: {report.created} days new or changed, {report.removed} removed, "
                f"{report.unchanged} unchanged."
            )
        )
