from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rathaus.catalog.definitions import DefinitionInvalid
from rathaus.core.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo municipalities Musterstadt and Beispielhausen with departments, staff, a citizen and the "
        "service catalogue. Idempotent: what exists is kept as it is, also when it was changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port shown in the printed URLs")
        parser.add_argument("--oidc-port", type=int, default=8001, help="port of the simulated identity provider")
        parser.add_argument("--force", action="store_true", help="also when DEBUG is off (never in production)")

    def handle(self, *args, force: bool, port: int, oidc_port: int, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo creates accounts with a published password. It runs only with DEBUG=1 "
                "(as `make run` sets it); pass --force to load it anyway on a test system."
            )
        try:
            summary = demo_load(
                port=port, oidc_port=oidc_port, progress=lambda message: self.stdout.write(f"  {message}")
            )
        except DefinitionInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                "The shipped service definitions are invalid; fix the files named above "
                "(check with: rathaus import_services --check services/)."
            ) from None
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("")
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(f"Password of every demo account: {DEMO_PASSWORD}")
