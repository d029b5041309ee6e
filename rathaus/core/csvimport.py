"""The shared face of the `rathaus import_* SLUG FILE.csv` commands: arguments, the municipality, and a file that is
checked completely before anything is written (problems on stderr, one per line, naming the file)."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rathaus.tenants.models import Municipality

from .csvfiles import CsvInvalid

Parsed = TypeVar("Parsed")


class CsvImportCommand(BaseCommand):
    """Subclasses set `help` (with the format) and `command` (their name, for the hint), and implement `handle`."""

    command = ""
    what = "the CSV file"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="slug of the municipality, e.g. musterstadt")
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--check", action="store_true", help="only check the file; write nothing")

    def municipality(self, slug: str) -> Municipality:
        target = Municipality.objects.filter(slug=slug).first()
        if target is None:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"Unknown municipality {slug!r} (known: {known}).")
        return target

    def parse(self, file: Path, parse: Callable[[bytes], Parsed]) -> Parsed:
        """`parse(file's bytes)`, or every problem on stderr and a CommandError saying nothing was imported."""
        if not file.is_file():
            raise CommandError(f"{file} is not a file. Pass {self.what}.")
        self.stdout.write(f"Reading {file} ...")
        try:
            return parse(file.read_bytes())
        except CsvInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(invalid.problems)} problem(s) found; nothing was imported. "
                f"Fix the lines named above and run the command again (format: rathaus {self.command} --help)."
            ) from None
