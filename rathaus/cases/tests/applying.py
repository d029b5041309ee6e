"""A citizen's submitted application, as the case tests need it (the portal itself is tested in applications)."""

from __future__ import annotations

from typing import Any

from rathaus.accounts.models import User
from rathaus.applications.formengine import FormDefinition
from rathaus.applications.models import Application
from rathaus.applications.services import application_start, application_submit
from rathaus.applications.tests.test_every_definition import fill
from rathaus.catalog.selectors import service_get
from rathaus.tenants.models import Municipality

ERIKA = {
    "vorname": "Erika",
    "nachname": "Mustermann",
    "geburtsdatum": "1964-08-12",
    "anschrift": {"strasse": "Heidestraße", "hausnummer": "17", "plz": "61348", "ort": "Musterstadt"},
    "email": "erika.mustermann@example.org",
}


def submit(
    *,
    municipality: Municipality,
    key: str,
    user: User | None,
    answers: dict[str, Any] | None = None,
    payment_method: str = "invoice",
) -> Application:
    """Fill every field (the answers given win), submit, and run what happens after the commit."""
    from django.test import TestCase

    service = service_get(municipality=municipality, key=key)
    assert service is not None, key
    application = application_start(municipality=municipality, service=service, user=user)
    form = FormDefinition(application.definition.data["form"])
    data = fill(form)
    for name, value in {**ERIKA, **(answers or {})}.items():
        if name in form.properties:
            data[name] = value
    application.data = data
    application.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return application_submit(
            application=application,
            consent=True,
            trust_level="substanziell",
            fees=service.fees,
            payment_method=payment_method,
        )
