"""The trust level of a login lives in the session; other modules ask for it through selectors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from rathaus.accounts import selectors, services
from rathaus.accounts.models import TrustLevel
from rathaus.accounts.views import login_url_for
from rathaus.analytics.models import Event


def a_request(municipality):
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    request.municipality = municipality
    return request


@pytest.mark.parametrize(
    ("actual", "required", "satisfied"),
    [
        ("niedrig", "niedrig", True),
        ("niedrig", "substanziell", False),
        ("niedrig", "hoch", False),
        ("substanziell", "niedrig", True),
        ("substanziell", "substanziell", True),
        ("substanziell", "hoch", False),
        ("hoch", "substanziell", True),
        ("hoch", "hoch", True),
        (None, "niedrig", False),
        ("gefälscht", "niedrig", False),
    ],
)
def test_trust_levels_are_ordered_niedrig_substanziell_hoch(actual, required, satisfied):
    assert selectors.trust_level_satisfies(actual, required) is satisfied


def test_an_anonymous_request_has_no_trust_level(musterstadt):
    assert selectors.session_trust_level(a_request(musterstadt)) is None


def test_login_complete_logs_in_rotates_the_session_and_remembers_level_and_method(
    musterstadt, erika, django_capture_on_commit_callbacks
):
    request = a_request(musterstadt)
    request.session["before"] = "kept"
    request.session.save()
    key_before = request.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        services.login_complete(request=request, user=erika, trust_level="substanziell", method="oidc")

    assert request.user == erika
    assert request.session.session_key != key_before, "a login gets a new session key (no session fixation)"
    assert selectors.session_trust_level(request) == "substanziell"
    assert selectors.session_login_method(request) == "oidc"
    event = Event.objects.get(name="login")
    assert event.municipality == musterstadt
    assert event.dimensions == {"login_method": "oidc", "trust_level": "substanziell"}


def test_login_complete_refuses_an_unknown_trust_level(musterstadt, erika):
    with pytest.raises(ValueError, match="trust level"):
        services.login_complete(request=a_request(musterstadt), user=erika, trust_level="mittel", method="password")


def test_a_staff_session_has_no_citizen_trust_level(musterstadt, caseworker):
    request = a_request(musterstadt)
    services.staff_login_complete(request=request, user=caseworker)
    assert request.user == caseworker
    assert selectors.session_trust_level(request) is None


def test_logging_out_forgets_the_trust_level(musterstadt, erika):
    request = a_request(musterstadt)
    services.login_complete(request=request, user=erika, trust_level="hoch", method="oidc")
    services.session_end(request=request)
    assert selectors.session_trust_level(request) is None


def test_login_url_for_a_low_level_is_the_login_page_with_the_way_back():
    assert (
        login_url_for(required_trust_level="niedrig", next_url="/antrag/1/") == "/konto/anmelden/?next=%2Fantrag%2F1%2F"
    )


def test_login_url_for_a_higher_level_asks_for_it():
    url = login_url_for(required_trust_level=TrustLevel.SUBSTANZIELL, next_url="/antrag/1/?x=1")
    assert url == "/konto/anmelden/?next=%2Fantrag%2F1%2F%3Fx%3D1&niveau=substanziell"


def test_login_url_for_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        login_url_for(required_trust_level="mittel", next_url="/")


def test_the_login_page_for_a_higher_level_offers_only_logins_that_reach_it(client, musterstadt, erika, bundid):
    response = client.get(login_url_for(required_trust_level="substanziell", next_url="/leistungen/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mit BundID anmelden" in page
    assert 'name="password"' not in page, "a password login cannot reach substanziell"
    assert "acr" not in page


def test_a_password_login_posted_anyway_does_not_count_for_a_higher_level(client, erika, musterstadt):
    response = client.post(
        "/konto/anmelden/?niveau=substanziell",
        {"email": erika.email, "password": "Test-Passwort-2026", "niveau": "substanziell"},
    )
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_citizen_who_already_has_the_level_goes_straight_on(client, erika, musterstadt):
    client.post("/konto/anmelden/", {"email": erika.email, "password": "Test-Passwort-2026"})
    response = client.get(login_url_for(required_trust_level="niedrig", next_url="/leistungen/"))
    assert response.status_code == 302
    assert response["Location"] == "/leistungen/"
