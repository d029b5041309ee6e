from pathlib import Path

from django.core.management.base import no_translations

from rathaus.core.csvimport import CsvImportCommand
from rathaus.idstatus.services import statuses_import
from rathaus.idstatus.status_csv import statuses_parse

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


class Command(CsvImportCommand):
    command = "import_id_status"
    what = "the CSV file of the document statuses"
    help = (
        "Import the status of ID documents (Personalausweis, Reisepass) from the document system's CSV. All or "
        "nothing: every line is checked first, and a file with problems imports nothing." + FORMAT
    )

    @no_translations
    def handle(self, *args, municipality: str, file: Path, check: bool, **options) -> None:
        target = self.municipality(municipality)
        rows = self.parse(file, statuses_parse)
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
