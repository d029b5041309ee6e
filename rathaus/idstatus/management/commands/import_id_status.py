from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from rathaus.idstatus.services import statuses_import
from rathaus.idstatus.status_csv import StatusesInvalid, statuses_parse
from rathaus.tenants.models import Municipality

FORMAT = """

example:
  number,status,kind
  L01X00T47,ready,personalausweis
  C4J0R2N71,in_production,reisepass

columns (header row, any order; German names nummer or seriennummer, stand, dokument work too):
  number  required  serial number of the new document, 9 characters (a 10th check digit is allowed)
  status  required  in_production, ready or picked_up (in Produktion, abholbereit, abgeholt)
  kind    optional  personalausweis or reisepass (PA, RP); empty: personalausweis
separator: comma, semicolon or tab; encoding: UTF-8 or Windows-1252. Lines starting with # are skipped.
Rows update the statuses of their numbers; numbers that are not in the file stay as they are.
Numbers are stored only as a keyed hash.
"""


class Command(BaseCommand):
    help = (
        "Import the status of ID documents (Personalausweis, Reisepass) from the document system's CSV. All or "
        "nothing: every line is checked first, and a file with problems imports nothing." + FORMAT
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="slug of the municipality, e.g. musterstadt")
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--check", action="store_true", help="only check the file; write nothing")

    @no_translations
    def handle(self, *args, municipality: str, file: Path, check: bool, **options) -> None:
        target = Municipality.objects.filter(slug=municipality).first()
        if target is None:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"Unknown municipality {municipality!r} (known: {known}).")
        if not file.is_file():
            raise CommandError(f"{file} is not a file. Pass the CSV file of the document statuses.")
        self.stdout.write(f"Reading {file} ...")
        try:
            rows = statuses_parse(file.read_bytes())
        except StatusesInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(invalid.problems)} problem(s) found; nothing was imported. "
                f"Fix the lines named above and run the command again (format: rathaus import_id_status --help)."
            ) from None
        self.stdout.write(f"{len(rows)} statuses are valid.")
        if check:
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done} of {total} stored")

        report = statuses_import(municipality=target, rows=rows, actor=None, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{target.name}: {report.created} new, {report.changed} changed, {report.unchanged} unchanged."
            )
        )
