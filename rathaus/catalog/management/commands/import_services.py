import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rathaus.catalog.definitions import DefinitionInvalid
from rathaus.catalog.services import definitions_import, definitions_validate
from rathaus.tenants.models import Municipality


class Command(BaseCommand):
    help = (
        "Validate and load service definitions (YAML) from a file or folder. Shared by all municipalities, "
        "or owned by one with --municipality. Idempotent: unchanged files change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a definition file or a folder such as services/")
        parser.add_argument("--check", action="store_true", help="only validate; write nothing")
        parser.add_argument("--municipality", help="slug of the municipality that owns these definitions")
        parser.add_argument("--taxonomy", type=Path, help="taxonomy file (default: taxonomy.yaml beside the files)")

    def handle(self, *args, path: Path, check: bool, municipality: str | None, taxonomy: Path | None, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist. Pass a definition file or a folder such as services/.")
        owner = None
        if municipality:
            owner = Municipality.objects.filter(slug=municipality).first()
            if owner is None:
                known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"Unknown municipality {municipality!r} (known: {known}).")
        try:
            taxonomy_data, definitions = definitions_validate(path, taxonomy_path=taxonomy, progress=self._progress)
        except DefinitionInvalid as invalid:
            self._end_progress()
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(invalid.problems)} problem(s) found; nothing was imported. "
                "Fix the files named above (format: services/README.md) and run the command again."
            ) from None
        self._end_progress()
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(definitions)} definitions are valid."))
            return
        report = definitions_import(taxonomy=taxonomy_data, definitions=definitions, owner=owner)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(definitions)} definitions: {len(report.created)} new, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
        if report.created and owner is None:
            self.stdout.write("Offer new shared services in a municipality with: rathaus enable_services SLUG --all")

    def _progress(self, number: int, total: int, name: str) -> None:
        if self.stdout.isatty():
            width = 30
            done = width * number // total
            sys.stdout.write(f"\r[{'#' * done}{'.' * (width - done)}] {number}/{total} {name[:40]:<40}")
            sys.stdout.flush()
        elif number == total or number % 25 == 0:
            self.stdout.write(f"validated {number}/{total}")

    def _end_progress(self) -> None:
        if self.stdout.isatty():
            sys.stdout.write("\n")
