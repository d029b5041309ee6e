"""A municipality offers shared definitions and may override fees and texts ("Einer für Alle")."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.catalog import selectors
from rathaus.catalog.models import ServiceOffering
from rathaus.catalog.services import offering_update, offerings_enable


def offering(municipality, key="bewohnerparkausweis") -> ServiceOffering:
    return ServiceOffering.objects.get(municipality=municipality, definition__key=key)


def test_overridden_fees_apply_in_one_municipality_only(catalog, musterstadt, beispielhausen):
    fees = [{"id": "gebuehr", "label": {"de": "Jahresgebühr"}, "type": "fixed", "amount": "25.00"}]
    offering_update(offering=offering(beispielhausen), overrides={"fees": fees})

    here = selectors.service_get(municipality=beispielhausen, key="bewohnerparkausweis")
    there = selectors.service_get(municipality=musterstadt, key="bewohnerparkausweis")
    assert here.fees == fees
    assert there.fees[0]["amounts"] == {"6": "20.00", "12": "30.70"}


def test_overridden_texts_are_shown(catalog, beispielhausen):
    offering_update(offering=offering(beispielhausen), overrides={"name": {"de": "Anwohnerparken"}})
    assert selectors.service_get(municipality=beispielhausen, key="bewohnerparkausweis").name == "Anwohnerparken"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"trust_level": "niedrig"}, "trust_level kann nicht abweichend festgelegt werden"),
        ({"name": {"en": "Only English"}}, "'de' is a required property"),
        ({"fees": [{"id": "x", "label": {"de": "X"}, "type": "fixed", "amount": "12"}]}, "does not match"),
        (
            {
                "fees": [
                    {
                        "id": "x",
                        "label": {"de": "X"},
                        "type": "per_unit",
                        "amount": "1.00",
                        "field": "gueltigkeit",
                    }
                ]
            },
            "a per_unit fee needs an integer field",
        ),
    ],
)
def test_invalid_overrides_are_refused_with_a_reason(catalog, beispielhausen, overrides, message):
    with pytest.raises(ValidationError) as error:
        offering_update(offering=offering(beispielhausen), overrides=overrides)
    assert any(message in text for text in error.value.messages)
    assert offering(beispielhausen).overrides == {}


def test_a_disabled_service_disappears_and_can_be_enabled_again(catalog, beispielhausen):
    offering_update(offering=offering(beispielhausen), overrides={}, enabled=False)
    assert selectors.service_get(municipality=beispielhausen, key="bewohnerparkausweis") is None
    assert offerings_enable(municipality=beispielhausen, keys=["bewohnerparkausweis"]) == ["bewohnerparkausweis"]
    assert selectors.service_get(municipality=beispielhausen, key="bewohnerparkausweis") is not None


def test_enabling_an_unknown_key_is_refused(catalog, beispielhausen):
    with pytest.raises(ValidationError, match="Unbekannte Leistungsschlüssel: gibtsnicht"):
        offerings_enable(municipality=beispielhausen, keys=["gibtsnicht"])
