import os

from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from rathaus.wsgi import application


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


def default_workers() -> int:
    """Gunicorn's rule of thumb: two workers per core plus one."""
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Run the production web server (gunicorn; static files through whitenoise)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}",
            help="address:port to listen on (default from HOST and PORT, else 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", default_workers())),
            help="worker processes (default: 2 × CPU cores + 1, or WEB_CONCURRENCY)",
        )
        parser.add_argument("--timeout", type=int, default=60, help="seconds before a silent worker is restarted")

    def handle(self, *args, bind: str, workers: int, timeout: int, **options):
        self.stdout.write(f"Rathaus serves on http://{bind}/ with {workers} workers.")
        _Gunicorn(
            {
                "bind": bind,
                "workers": workers,
                "timeout": timeout,
                "accesslog": "-",
                "errorlog": "-",
                "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            }
        ).run()
