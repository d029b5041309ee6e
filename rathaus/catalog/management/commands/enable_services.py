from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rathaus.catalog.services import offerings_enable
from rathaus.tenants.models import Municipality


class Command(BaseCommand):
    help = "Offer shared service definitions in a municipality (existing overrides are kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="slug of the municipality")
        parser.add_argument("keys", nargs="*", help="service keys to enable")
        parser.add_argument("--all", action="store_true", help="enable every shared definition")

    def handle(self, *args, municipality: str, keys: list[str], all: bool, **options):
        target = Municipality.objects.filter(slug=municipality).first()
        if target is None:
            raise CommandError(f"Unknown municipality {municipality!r}. List them in the admin or load the demo.")
        if not keys and not all:
            raise CommandError("Name service keys or pass --all.")
        try:
            enabled = offerings_enable(municipality=target, keys=None if all else keys)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{len(enabled)} services newly offered in {target.name}."))
