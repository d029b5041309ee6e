"""Demo cases: Erika's applications, so that the back office of the demo has something to show.

They go the way every application goes: submitted, handed over, and processed by the automation once the task
worker runs (`make run` starts one): the plate MS-EM 1964 is approved without a person, the other waits for the
caseworker.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.accounts.models import User
from rathaus.applications.models import Application
from rathaus.applications.services import application_start, application_submit
from rathaus.catalog.selectors import service_get
from rathaus.letters import html_to_pdf_a
from rathaus.tenants.models import Municipality
from rathaus.uploads.services import UploadRule, upload_accept

PLATES = ("MS-EM 1964", "MS-XY 42")


def _scan_of_registration(plate: str) -> bytes:
    return html_to_pdf_a(html=f"<title>Fahrzeugschein</title><p>Zulassungsbescheinigung Teil I (Muster): {plate}</p>")


def demo_cases_load(*, municipality: Municipality, citizen: User) -> int:
    """Submit the demo applications once (idempotent). Returns how many were submitted now."""
    service = service_get(municipality=municipality, key="bewohnerparkausweis")
    if service is None or Application.objects.filter(municipality=municipality, applicant=citizen).exists():
        return 0
    rule = UploadRule.from_definition(next(d for d in service.data["documents_upload"] if d["id"] == "fahrzeugschein"))
    for plate in PLATES:
        application = application_start(municipality=municipality, service=service, user=citizen)
        scan = upload_accept(
            file=SimpleUploadedFile("fahrzeugschein.pdf", _scan_of_registration(plate), "application/pdf"),
            rule=rule,
            municipality=municipality,
            owner=citizen,
            session_key="",
            service_key=service.key,
        )
        application.data = {
            "vorname": citizen.first_name,
            "nachname": citizen.last_name,
            "geburtsdatum": citizen.birthdate.isoformat() if citizen.birthdate else "1964-08-12",
            "anschrift": {
                "strasse": citizen.street,
                "hausnummer": citizen.house_number,
                "plz": citizen.postal_code,
                "ort": citizen.city,
            },
            "email": citizen.email,
            "kennzeichen": plate,
            "fahrzeugart": "pkw",
            "halter": "selbst",
            "gueltigkeit": "12",
            "kein_stellplatz": True,
            "fahrzeugschein": str(scan.public_id),
        }
        application.save(update_fields=["data"])
        application_submit(
            application=application,
            consent=True,
            trust_level="substanziell",
            fees=service.fees,
            payment_method="invoice",
        )
    return len(PLATES)
