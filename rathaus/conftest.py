"""The shared test base: named municipalities, people and the shipped catalogue."""

from datetime import date

import pytest
from django.conf import settings

from rathaus.accounts.models import StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.catalog.services import definitions_import, definitions_validate, offerings_add_missing
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import department_ensure, domain_ensure, municipality_ensure

PASSWORD = "Test-Passwort-2026"


def pytest_configure(config: pytest.Config) -> None:
    # Tests render templates without a collectstatic run; the manifest storage is tested by the serve test.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tasks run at once in tests; the database queue and its worker are tested where it matters
    # (rathaus/cases/tests/test_tasks.py).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The demo's year of statistics, small: the demo tests load it often (rathaus/analytics/demo.py).
    settings.RATHAUS_DEMO_EVENTS_PER_INHABITANT = 0.02


@pytest.fixture(scope="session")
def shipped_definitions():
    """The definitions under services/, validated once per test session."""
    return definitions_validate(settings.RATHAUS_SERVICES_DIR)


def _municipality(slug: str, name: str, official_key: str, host: str, colour: str) -> Municipality:
    municipality, _ = municipality_ensure(
        slug=slug,
        defaults={
            "name": name,
            "official_key": official_key,
            "inhabitants": 50_000,
            "brand_colour": colour,
            "email": f"info@{slug}.example",
            "street": "Rathausplatz 1",
            "postal_code": "61348",
            "city": name,
        },
    )
    domain_ensure(municipality=municipality, host=host)
    for code, department_name in (
        ("strassenverkehr", "Straßenverkehrsbehörde"),
        ("buergerbuero", "Bürgerbüro"),
        ("hauptamt", "Hauptamt und Bürgerbeteiligung"),
    ):
        department_ensure(municipality=municipality, code=code, name=department_name)
    return municipality


@pytest.fixture
def musterstadt(db) -> Municipality:
    """The default municipality (settings.RATHAUS_DEFAULT_MUNICIPALITY), served at musterstadt.localhost."""
    return _municipality("musterstadt", "Musterstadt", "06434990", "musterstadt.localhost", "#004B76")


@pytest.fixture
def beispielhausen(db) -> Municipality:
    return _municipality("beispielhausen", "Beispielhausen", "06435990", "beispielhausen.localhost", "#7A1F2B")


@pytest.fixture
def catalog(shipped_definitions, musterstadt, beispielhausen):
    """The shipped catalogue, offered completely in both municipalities."""
    taxonomy, definitions = shipped_definitions
    definitions_import(taxonomy=taxonomy, definitions=definitions)
    offerings_add_missing(municipality=musterstadt)
    offerings_add_missing(municipality=beispielhausen)
    return definitions


@pytest.fixture
def erika(db) -> User:
    """Erika Mustermann, a citizen of Musterstadt."""
    user, _ = user_ensure(
        username="erika",
        email="erika.mustermann@example.org",
        password=PASSWORD,
        first_name="Erika",
        last_name="Mustermann",
        birthdate=date(1964, 8, 12),
        postal_code="61348",
        city="Musterstadt",
    )
    return user


@pytest.fixture
def caseworker(musterstadt) -> User:
    """Max Sachbearbeiter, caseworker at Musterstadt's road traffic authority."""
    user, _ = user_ensure(
        username="max",
        email="max@musterstadt.example",
        password=PASSWORD,
        first_name="Max",
        last_name="Sachbearbeiter",
    )
    staff_role_ensure(
        user=user,
        municipality=musterstadt,
        role=StaffRole.Role.CASEWORKER,
        department=musterstadt.departments.get(code="strassenverkehr"),
    )
    return user


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright. Missing Chromium fails the test (never skips)."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with `make browser` (as root).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def log_in():
    """log_in(client, user, trust_level="substanziell"): a citizen login with that trust level, as after OIDC."""
    from django.test import RequestFactory

    from rathaus.accounts.services import login_complete

    def log_in(client, user: User, trust_level: str = "substanziell", method: str = "oidc") -> None:
        request = RequestFactory().get("/")
        request.session = client.session
        login_complete(request=request, user=user, trust_level=trust_level, method=method)
        request.session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key

    return log_in


@pytest.fixture
def max_mustermann(db) -> User:
    """Max Mustermann, a second citizen who must never see Erika's applications."""
    user, _ = user_ensure(
        username="max.mustermann",
        email="max.mustermann@example.org",
        password=PASSWORD,
        first_name="Max",
        last_name="Mustermann",
    )
    return user


@pytest.fixture
def staff_log_in():
    """staff_log_in(client, user): the staff login with password and a current TOTP code (enrolling if needed)."""
    from rathaus.accounts.services import staff_totp_prepare
    from rathaus.accounts.totp import totp_code

    def staff_log_in(client, user: User) -> None:
        record = staff_totp_prepare(user=user)
        response = client.post("/verwaltung/anmelden/", {"login_name": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()[:500]
        response = client.post("/verwaltung/anmelden/code/", {"code": totp_code(record.secret)})
        assert response.status_code == 302, response.content.decode()[:500]

    return staff_log_in


@pytest.fixture
def team_lead(musterstadt) -> User:
    """Tina Teamleitung, team lead at Musterstadt's road traffic authority."""
    user, _ = user_ensure(
        username="tina", email="tina@musterstadt.example", password=PASSWORD, first_name="Tina", last_name="Teamleitung"
    )
    staff_role_ensure(
        user=user,
        municipality=musterstadt,
        role=StaffRole.Role.TEAM_LEAD,
        department=musterstadt.departments.get(code="strassenverkehr"),
    )
    return user


@pytest.fixture
def citizens_office_clerk(musterstadt) -> User:
    """Bea Bürgerbüro, caseworker in another department: sees none of the road traffic authority's cases."""
    user, _ = user_ensure(
        username="bea", email="bea@musterstadt.example", password=PASSWORD, first_name="Bea", last_name="Bürgerbüro"
    )
    staff_role_ensure(
        user=user,
        municipality=musterstadt,
        role=StaffRole.Role.CASEWORKER,
        department=musterstadt.departments.get(code="buergerbuero"),
    )
    return user
