"""Demo data: two municipalities on one installation, their staff, a citizen and the shared catalogue.

Every step creates only what is missing, so running it again keeps whatever was changed since.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from rathaus.accounts.models import IdentityProvider, StaffRole, User
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.analytics.demo import analytics_demo_load
from rathaus.appointments.demo import appointments_demo_bookings_load, appointments_demo_load
from rathaus.catalog.models import ServiceOffering
from rathaus.catalog.services import (
    definitions_import,
    definitions_validate,
    offering_update,
    offerings_add_missing,
)
from rathaus.idstatus.demo import idstatus_demo_load
from rathaus.opendata.demo import opendata_demo_load
from rathaus.opendata.tasks import refresh_all as opendata_refresh
from rathaus.registers.services import registers_demo_load
from rathaus.reports.demo import reports_demo_load
from rathaus.reservations.demo import reservations_demo_load
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import department_ensure, domain_ensure, municipality_ensure
from rathaus.waste.demo import waste_demo_load

from .demo_cases import demo_cases_load

DEMO_PASSWORD = "Rathaus-Demo-2026"  # noqa: S105 - published on purpose; load_demo refuses to run in production

MUNICIPALITIES: list[dict[str, Any]] = [
    {
        "slug": "musterstadt",
        "hosts": ["musterstadt.localhost"],
        "fields": {
            "name": "Musterstadt",
            "official_key": "06434990",
            "inhabitants": 54_320,
            "brand_colour": "#004B76",
            "street": "Rathausplatz 1",
            "postal_code": "61348",
            "city": "Musterstadt",
            "phone": "06172 100-0",
            "email": "buergerbuero@musterstadt.example",
            "website": "https://www.musterstadt.example",
            "opening_hours": "Mo–Fr 8:00–12:00\nDo 14:00–18:00\nSa 9:00–12:00 (nur Bürgerbüro)",
        },
        "not_offered": [],
    },
    {
        "slug": "beispielhausen",
        "hosts": ["beispielhausen.localhost"],
        "fields": {
            "name": "Beispielhausen",
            "official_key": "06435990",
            "inhabitants": 28_950,
            "brand_colour": "#7A1F2B",
            "street": "Marktstraße 5",
            "postal_code": "63450",
            "city": "Beispielhausen",
            "phone": "06181 200-0",
            "email": "rathaus@beispielhausen.example",
            "website": "https://www.beispielhausen.example",
            "opening_hours": "Mo, Di, Fr 8:00–12:30\nMi 13:00–18:00",
        },
        # A smaller town does not offer everything: these stay off until it decides otherwise.
        "not_offered": ["fischereischein", "baeder-feedback"],
    },
]

# Beispielhausen charges its own fees for the shared Bewohnerparkausweis definition ("Einer für Alle").
OVERRIDES = {
    ("beispielhausen", "bewohnerparkausweis"): {
        "fees": [
            {
                "id": "gebuehr",
                "label": {"de": "Gebühr nach Gültigkeitsdauer", "en": "Fee by period of validity"},
                "type": "by_choice",
                "field": "gueltigkeit",
                "amounts": {"6": "15.00", "12": "25.00"},
            }
        ]
    }
}

STAFF = [
    ("admin", "Verwaltung", StaffRole.Role.MUNICIPALITY_ADMIN, None),
    ("amtsleitung", "Amtsleitung Verkehr", StaffRole.Role.DEPARTMENT_ADMIN, "strassenverkehr"),
    ("teamleitung", "Teamleitung Verkehr", StaffRole.Role.TEAM_LEAD, "strassenverkehr"),
    ("sachbearbeitung", "Sachbearbeitung Verkehr", StaffRole.Role.CASEWORKER, "strassenverkehr"),
    ("buergerbuero", "Sachbearbeitung Bürgerbüro", StaffRole.Role.CASEWORKER, "buergerbuero"),
    ("kultur", "Sachbearbeitung Kultur und Sport", StaffRole.Role.CASEWORKER, "kultur_sport"),
]


DEMO_OIDC_SECRET_ENV = "RATHAUS_DEMO_OIDC_SECRET"  # noqa: S105 - the name of the variable, not a secret


def _demo_identity_provider(municipality: Municipality, oidc_port: int) -> None:
    """The simulated identity provider that `make run` starts (rathaus/testing/oidc_provider), like a BundID."""
    if municipality.identity_providers.filter(slug="demo-id").exists():
        return
    provider = IdentityProvider(
        municipality=municipality,
        slug="demo-id",
        name="Demo-Identitätsanbieter (simuliert)",
        button_label="Mit Demo-BundID anmelden (simuliert)",
        issuer=f"http://127.0.0.1:{oidc_port}",
        client_id="rathaus",
        client_secret_env=DEMO_OIDC_SECRET_ENV,
        acr_mapping={"niedrig": "niedrig", "substanziell": "substanziell", "hoch": "hoch"},
    )
    provider.full_clean()
    provider.save()


@transaction.atomic
def demo_load(
    *, port: int = 8000, oidc_port: int = 8001, progress: Callable[[str], None] = lambda message: None
) -> list[str]:
    """Load (or complete) the demo. Returns lines that describe the URLs and accounts."""
    progress("service catalogue")
    taxonomy, definitions = definitions_validate(settings.RATHAUS_SERVICES_DIR)
    definitions_import(taxonomy=taxonomy, definitions=definitions)
    summary = ["Municipalities:"]
    for spec in MUNICIPALITIES:
        progress(spec["fields"]["name"])
        municipality, _created = municipality_ensure(slug=spec["slug"], defaults=spec["fields"])
        for host in spec["hosts"]:
            domain_ensure(municipality=municipality, host=host, is_primary=True)
        departments = {}
        for code, names in taxonomy.departments.items():
            departments[code] = department_ensure(
                municipality=municipality,
                code=code,
                name=names["de"],
                email=f"{code.replace('_', '-')}@{spec['slug']}.example",
            )
        offerings_add_missing(municipality=municipality, disabled=spec["not_offered"])
        registers_demo_load(municipality=municipality)
        appointments_demo_bookings_load(location=appointments_demo_load(municipality=municipality))
        report_lines = reports_demo_load(municipality=municipality)
        waste_demo_load(municipality=municipality)
        id_numbers = idstatus_demo_load(municipality=municipality)
        reservations_demo_load(municipality=municipality)
        _demo_identity_provider(municipality, oidc_port)
        for (slug, key), overrides in OVERRIDES.items():
            if slug == spec["slug"]:
                offering = ServiceOffering.objects.get(municipality=municipality, definition__key=key)
                if not offering.overrides:
                    offering_update(offering=offering, overrides=overrides)
        opendata_demo_load(municipality=municipality)
        for suffix, title, role, department_code in STAFF:
            user, _ = user_ensure(
                username=f"{spec['slug']}-{suffix}",
                email=f"{suffix}@{spec['slug']}.example",
                password=DEMO_PASSWORD,
                first_name=title,
                last_name=municipality.name,
            )
            staff_role_ensure(
                user=user,
                municipality=municipality,
                role=role,
                department=departments[department_code] if department_code else None,
            )
        host = spec["hosts"][0]
        default = (
            " (default for localhost / 127.0.0.1)" if spec["slug"] == settings.RATHAUS_DEFAULT_MUNICIPALITY else ""
        )
        summary.append(f"  {municipality.name}: http://{host}:{port}/{default}")
        summary.append(
            "    staff: " + ", ".join(f"{spec['slug']}-{suffix} ({role.label})" for suffix, _t, role, _d in STAFF)
        )
        summary += report_lines
        base = f"http://{host}:{port}"
        summary.append(f"    appointments: {base}/termine/  reservations of places: {base}/reservierungen/")
        summary.append(f"    defect reports: {base}/maengelmelder/  waste calendar: {base}/abfallkalender/")
        summary.append(f"    open data: {base}/daten/  statistics (staff): {base}/verwaltung/statistik/")
        summary.append(f"    ID status lookup (demo numbers): {base}/ausweisstatus/ " + ", ".join(id_numbers))
    user_ensure(
        username="erika",
        email="erika.mustermann@example.org",
        password=DEMO_PASSWORD,
        first_name="Erika",
        last_name="Mustermann",
        birthdate=date(1964, 8, 12),
        street="Heidestraße",
        house_number="17",
        postal_code="61348",
        city="Musterstadt",
    )
    erika = User.objects.get(username="erika")
    musterstadt = Municipality.objects.get(slug="musterstadt")
    progress("demo cases")
    demo_cases_load(municipality=musterstadt, citizen=erika)
    for spec in MUNICIPALITIES:
        progress(f"a year of statistics for {spec['fields']['name']}")
        analytics_demo_load(municipality=Municipality.objects.get(slug=spec["slug"]))
    progress("open data from the statistics")
    opendata_refresh(keys=["kennzahlen"])
    operator, created = user_ensure(
        username="admin",
        email="betrieb@rathaus.example",
        password=DEMO_PASSWORD,
        first_name="Betrieb",
        last_name="Rathaus",
    )
    if created:
        operator.is_staff = operator.is_superuser = True
        operator.save(update_fields=["is_staff", "is_superuser"])
    summary += [
        "Citizen: erika (Erika Mustermann, erika.mustermann@example.org)",
        "Operator (administration at /admin/): admin",
        f"Simulated identity provider (like BundID) on http://127.0.0.1:{oidc_port}/: accounts erika and max, "
        "any trust level",
    ]
    return summary
