"""`rathaus import_services PATH` validates, loads idempotently and keeps what municipalities changed."""

import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from rathaus.catalog.models import ServiceDefinition, ServiceOffering, Taxon
from rathaus.catalog.services import offering_update

SERVICES = settings.RATHAUS_SERVICES_DIR


@pytest.fixture
def services_copy(tmp_path):
    folder = tmp_path / "services"
    folder.mkdir()
    for name in ("taxonomy.yaml", "bewohnerparkausweis.yaml"):
        shutil.copy(SERVICES / name, folder / name)
    return folder


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_services", *map(str, args), stdout=out, stderr=out)
    return out.getvalue()


def test_the_shipped_catalogue_has_at_least_30_valid_definitions(db):
    output = run(SERVICES, "--check")
    count = int(output.strip().splitlines()[-1].split()[0])
    assert count >= 30
    assert ServiceDefinition.objects.count() == 0, "--check writes nothing"


def test_import_loads_definitions_and_taxonomy(db):
    output = run(SERVICES)
    assert "new, 0 updated, 0 unchanged" in output
    assert ServiceDefinition.objects.filter(key="bewohnerparkausweis", owner=None).exists()
    assert Taxon.objects.filter(kind="topic", code="verkehr").exists()


def test_a_second_import_changes_nothing(db):
    run(SERVICES)
    before = dict(ServiceDefinition.objects.values_list("key", "updated_at"))
    output = run(SERVICES)
    assert f"0 new, 0 updated, {len(before)} unchanged" in output
    assert dict(ServiceDefinition.objects.values_list("key", "updated_at")) == before


def test_a_changed_file_updates_its_definition_but_keeps_municipal_overrides(services_copy, musterstadt):
    run(services_copy)
    call_command("enable_services", "musterstadt", "--all", stdout=None)
    offering = ServiceOffering.objects.get(municipality=musterstadt, definition__key="bewohnerparkausweis")
    offering_update(offering=offering, overrides={"name": {"de": "Anwohnerparkausweis"}})
    path = services_copy / "bewohnerparkausweis.yaml"
    path.write_text(path.read_text().replace("processing_time_days: 14", "processing_time_days: 10"))

    assert "0 new, 1 updated, 0 unchanged" in run(services_copy)
    definition = ServiceDefinition.objects.get(key="bewohnerparkausweis")
    assert definition.data["processing_time_days"] == 10
    offering.refresh_from_db()
    assert offering.overrides == {"name": {"de": "Anwohnerparkausweis"}}


def test_an_invalid_file_stops_the_import_naming_file_and_field(services_copy, db):
    broken = services_copy / "kaputt.yaml"
    broken.write_text(
        (services_copy / "bewohnerparkausweis.yaml")
        .read_text()
        .replace("trust_level: substanziell", "trust_level: sehr_hoch")
    )
    with pytest.raises(CommandError, match="1 problem"):
        run(services_copy)
    assert ServiceDefinition.objects.count() == 0, "nothing is imported when any file is invalid"


def test_the_invalid_file_and_field_are_printed(services_copy, db, capsys):
    (services_copy / "kaputt.yaml").write_text("name: {de: Nur ein Name}\n")
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_services", str(services_copy), stdout=StringIO(), stderr=err)
    assert f"{services_copy / 'kaputt.yaml'}: (file): 'summary' is a required property" in err.getvalue()


def test_a_missing_path_says_what_to_pass(db):
    with pytest.raises(CommandError, match="does not exist"):
        run("/nonexistent/services")


def test_definitions_can_belong_to_one_municipality(services_copy, musterstadt, beispielhausen):
    run(services_copy, "--municipality", "beispielhausen")
    own = ServiceDefinition.objects.get(key="bewohnerparkausweis")
    assert own.owner == beispielhausen
    assert ServiceOffering.objects.filter(municipality=beispielhausen, definition=own, enabled=True).exists()
    assert not ServiceOffering.objects.filter(municipality=musterstadt).exists()


def test_an_unknown_municipality_is_named(services_copy, db):
    with pytest.raises(CommandError, match="Unknown municipality 'atlantis'"):
        run(services_copy, "--municipality", "atlantis")
