"""Identity providers are configured per municipality; their acr mapping and URLs are checked when saved."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.accounts.models import IdentityProvider, User
from rathaus.accounts.services import _prefill


def provider(musterstadt, **fields) -> IdentityProvider:
    values = {
        "municipality": musterstadt,
        "slug": "servicekonto",
        "name": "Servicekonto Hessen",
        "button_label": "Mit dem Servicekonto anmelden",
        "issuer": "https://broker.example.org/realms/hessen",
        "client_id": "musterstadt",
        "client_secret_env": "OIDC_HESSEN_SECRET",
        "acr_mapping": {"urn:eidas:loa:low": "niedrig", "urn:eidas:loa:substantial": "substanziell"},
    } | fields
    return IdentityProvider(**values)


def test_a_complete_provider_is_valid(musterstadt):
    entry = provider(musterstadt)
    entry.full_clean()
    assert entry.highest_trust_level == "substanziell"
    assert entry.acr_values_for("niedrig") == ["urn:eidas:loa:low", "urn:eidas:loa:substantial"]
    assert entry.acr_values_for("hoch") == []
    assert entry.trust_level_for("urn:eidas:loa:substantial") == "substanziell"
    assert entry.trust_level_for("urn:eidas:loa:high") is None
    assert entry.trust_level_for(None) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"acr_mapping": {}}, "acr_mapping"),
        ({"acr_mapping": {"x": "mittel"}}, "acr_mapping"),
        ({"acr_mapping": ["niedrig"]}, "acr_mapping"),
        ({"issuer": "http://broker.example.org"}, "issuer"),
        ({"scopes": "profile"}, "scopes"),
        ({"client_secret_env": "geheim123!"}, "client_secret_env"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(musterstadt, fields, field):
    with pytest.raises(ValidationError) as refused:
        provider(musterstadt, **fields).full_clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"birthdate": "0000-08-12"}, {"birthdate": None}),
        (
            {"address": {"street_address": "Am Markt 3a", "postal_code": "1234"}},
            {"street": "Am Markt", "house_number": "3a", "postal_code": ""},
        ),
        (
            {"address": '{"street_address": "Hauptstraße 5-7", "locality": "Musterstadt"}'},
            {"street": "Hauptstraße", "house_number": "5-7", "city": "Musterstadt"},
        ),
        ({"address": {"street_address": "Postfach"}}, {"street": "Postfach", "house_number": ""}),
        ({"given_name": "  ", "family_name": 42}, {"first_name": "", "last_name": ""}),
    ],
)
def test_prefill_takes_what_is_usable_and_leaves_the_rest(claims, expected):
    user = User()
    _prefill(user, claims)
    assert {field: getattr(user, field) for field in expected} == expected
