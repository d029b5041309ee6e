"""Nothing of one municipality is shown under another's host."""

from django.test import Client

from rathaus.catalog.models import ServiceOffering
from rathaus.catalog.services import offering_update


def test_a_service_one_municipality_does_not_offer_is_invisible_there(catalog, musterstadt, beispielhausen):
    offering = ServiceOffering.objects.get(municipality=beispielhausen, definition__key="grillplatzreservierung")
    offering_update(offering=offering, overrides={}, enabled=False)

    there = Client(HTTP_HOST="beispielhausen.localhost")
    assert there.get("/leistungen/grillplatzreservierung/").status_code == 404
    assert there.get("/api/v1/services/grillplatzreservierung").status_code == 404
    assert "grillplatzreservierung" not in [i["key"] for i in there.get("/api/v1/services?limit=500").json()["items"]]
    assert "Grillplatz" not in there.get("/leistungen/").content.decode()

    here = Client(HTTP_HOST="musterstadt.localhost")
    assert here.get("/leistungen/grillplatzreservierung/").status_code == 200


def test_a_municipality_own_definition_is_not_visible_elsewhere(catalog, musterstadt, beispielhausen, tmp_path):
    from django.core.management import call_command

    definitions = tmp_path / "eigene"
    definitions.mkdir()
    from django.conf import settings

    source = (settings.RATHAUS_SERVICES_DIR / "bewohnerparkausweis.yaml").read_text()
    (definitions / "beispielhausen-parken.yaml").write_text(source)
    call_command(
        "import_services",
        str(definitions),
        "--municipality",
        "beispielhausen",
        "--taxonomy",
        str(settings.RATHAUS_SERVICES_DIR / "taxonomy.yaml"),
        stdout=None,
    )

    assert Client(HTTP_HOST="beispielhausen.localhost").get("/leistungen/beispielhausen-parken/").status_code == 200
    assert Client(HTTP_HOST="musterstadt.localhost").get("/leistungen/beispielhausen-parken/").status_code == 404
    assert Client(HTTP_HOST="musterstadt.localhost").get("/api/v1/services/beispielhausen-parken").status_code == 404
