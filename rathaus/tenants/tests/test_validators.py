import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from rathaus.tenants.models import Municipality
from rathaus.tenants.validators import validate_official_key


@pytest.mark.parametrize("key", ["06434001", "09162001", "11000001", "16077001"])
def test_a_real_shaped_official_key_is_accepted(key):
    validate_official_key(key)


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("0643400", "ags_format"),
        ("064340011", "ags_format"),
        ("06 43400", "ags_format"),
        ("17434001", "ags_land"),
        ("00434001", "ags_land"),
        ("06434000", "ags_municipality"),
    ],
)
def test_a_malformed_official_key_is_rejected_with_the_reason(key, code):
    with pytest.raises(ValidationError) as error:
        validate_official_key(key)
    assert error.value.code == code


def test_the_database_refuses_a_malformed_official_key_even_past_validation(db):
    with pytest.raises(IntegrityError):
        Municipality.objects.create(name="Irgendwo", slug="irgendwo", official_key="99999999", inhabitants=1)


def test_the_database_refuses_a_malformed_brand_colour(db):
    with pytest.raises(IntegrityError):
        Municipality.objects.create(
            name="Irgendwo", slug="irgendwo", official_key="06434001", inhabitants=1, brand_colour="blue"
        )
