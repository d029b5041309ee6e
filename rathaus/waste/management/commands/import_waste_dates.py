from argparse import RawDescriptionHelpFormatter
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from rathaus.tenants.models import Municipality
from rathaus.waste.dates_csv import WasteDatesInvalid, waste_dates_parse
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


class Command(BaseCommand):
    help = (
        "Import a municipality's waste collection days (Abfuhrtermine) from a CSV file. All or nothing: every line "
        "is checked first, and a file with problems imports nothing. Importing the same file again changes nothing."
        + FORMAT
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="slug of the municipality, e.g. musterstadt")
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--check", action="store_true", help="only check the file; write nothing")

    @no_translations  # English like the other commands
    def handle(self, *args, municipality: str, file: Path, check: bool, **options) -> None:
        target = Municipality.objects.filter(slug=municipality).first()
        if target is None:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"Unknown municipality {municipality!r} (known: {known}).")
        if not file.is_file():
            raise CommandError(f"{file} is not a file. Pass the CSV file of the collection days.")
        districts, types = codes_of(municipality=target)
        if not districts or not types:
            raise CommandError(
                f"{target.name} has no collection districts or waste types yet. Set them up in the admin "
                "(/admin/waste/) first."
            )
        self.stdout.write(f"Reading {file} ...")
        try:
            parsed = waste_dates_parse(file.read_bytes(), districts=districts, waste_types=types)
        except WasteDatesInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(invalid.problems)} problem(s) found; nothing was imported. "
                f"Fix the lines named above and run the command again (format: rathaus import_waste_dates --help)."
            ) from None
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
