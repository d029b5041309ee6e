"""Login through OpenID Connect against a real provider process (oidc-provider from npm) on 127.0.0.1.

The provider plays the identity broker of BundID or a Land's Servicekonto: the test logs in on its own page as an
account with an acr value, and Rathaus maps the acr to a trust level and takes name, address and date of birth.
"""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from rathaus.accounts.models import OidcIdentity, User
from rathaus.accounts.views import login_url_for
from rathaus.analytics.models import Event
from rathaus.conftest import PASSWORD

from .conftest import TEST_REDIRECT_URI, identity_provider_for


@pytest.fixture
def oidc_login(client, oidc_server, django_capture_on_commit_callbacks):
    """Start the flow at Rathaus, log in at the provider, come back; returns Rathaus's last response."""

    def login(*, account: str, acr: str, start: str):
        started = client.get(start)
        assert started.status_code == 302, started.content.decode()[:500]
        callback = oidc_server.log_in(started["Location"], account=account, acr=acr, redirect_uri=TEST_REDIRECT_URI)
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(callback.removeprefix("http://testserver"))

    return login


def start_url(required: str = "niedrig", next_url: str = "/leistungen/") -> str:
    return f"/konto/oidc/bundid/?niveau={required}&next={next_url}"


def test_erika_logs_in_with_substanziell_and_her_data_is_there_for_prefill(client, bundid, oidc_login):
    response = oidc_login(account="erika", acr="substanziell", start=start_url("substanziell", "/leistungen/"))
    assert response.status_code == 302
    assert response["Location"] == "/leistungen/"
    assert client.session["rathaus_trust_level"] == "substanziell"
    assert client.session["rathaus_login_method"] == "oidc"

    user = User.objects.get(oidc_identities__provider=bundid, oidc_identities__subject="erika")
    assert (user.first_name, user.last_name) == ("Erika", "Mustermann")
    assert user.birthdate == date(1964, 8, 12)
    assert (user.street, user.house_number, user.postal_code, user.city) == ("Heidestraße", "17", "51147", "Köln")
    assert user.email == "erika.eid@example.org"
    assert not user.has_usable_password()
    assert Event.objects.get(name="login").dimensions == {"login_method": "oidc", "trust_level": "substanziell"}
    assert Event.objects.filter(name="registration_completed", dimensions__login_method="oidc").count() == 1


def test_the_flow_uses_pkce_state_nonce_and_asks_for_the_needed_acr(client, bundid):
    response = client.get(start_url("substanziell"))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(f"{bundid.issuer}/auth?")
    assert query["acr_values"] == ["substanziell hoch"], "the weakest value that reaches the level comes first"
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["prompt"] == ["login"], "a step-up authenticates anew"
    assert query["scope"] == ["openid profile email address"]
    assert query["redirect_uri"] == [TEST_REDIRECT_URI]


def test_the_same_person_logging_in_again_is_the_same_account(client, bundid, oidc_login):
    oidc_login(account="erika", acr="niedrig", start=start_url())
    first = client.session["_auth_user_id"]
    client.post("/konto/abmelden/")
    oidc_login(account="erika", acr="hoch", start=start_url())
    assert client.session["_auth_user_id"] == first
    assert client.session["rathaus_trust_level"] == "hoch"
    assert OidcIdentity.objects.filter(provider=bundid).count() == 1


def test_step_up_refuses_a_weaker_acr_and_keeps_the_session_as_it_was(client, erika, bundid, oidc_login):
    client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    assert client.session["rathaus_trust_level"] == "niedrig"

    response = oidc_login(account="erika", acr="niedrig", start=start_url("substanziell", "/antrag/"))

    assert response.status_code == 302
    assert response["Location"] == login_url_for(required_trust_level="substanziell", next_url="/antrag/")
    assert client.session["rathaus_trust_level"] == "niedrig", "the weaker login does not open the service"
    assert int(client.session["_auth_user_id"]) == erika.pk
    assert not OidcIdentity.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "did not reach the trust level" in page


def test_step_up_of_a_password_login_links_the_identity_to_the_account(client, erika, bundid, oidc_login):
    client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    response = oidc_login(account="erika", acr="substanziell", start=start_url("substanziell", "/antrag/"))
    assert response["Location"] == "/antrag/"
    assert int(client.session["_auth_user_id"]) == erika.pk, "the drafts of the account stay the citizen's"
    assert client.session["rathaus_trust_level"] == "substanziell"
    assert OidcIdentity.objects.get(provider=bundid).user == erika
    erika.refresh_from_db()
    assert erika.city == "Köln", "the provider's data is the newer prefill"
    assert erika.email == "erika.mustermann@example.org", "the login e-mail is not changed by a provider"


@pytest.mark.parametrize("mapping", [{"substanziell": "substanziell"}, {"urn:eidas:loa:high": "hoch"}])
def test_an_acr_the_mapping_does_not_know_is_refused(
    client, oidc_server, musterstadt, monkeypatch, oidc_login, mapping
):
    identity_provider_for(oidc_server, musterstadt, monkeypatch, acr_mapping=mapping | {"niedrig-x": "niedrig"})
    response = oidc_login(account="max", acr="niedrig", start=start_url())
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(first_name="Max").exists()
    assert "did not confirm a trust level we know" in client.get(response["Location"]).content.decode()


def test_a_provider_that_cannot_reach_the_level_is_not_offered(client, oidc_server, musterstadt, monkeypatch):
    identity_provider_for(oidc_server, musterstadt, monkeypatch, acr_mapping={"niedrig": "niedrig"})
    page = client.get(login_url_for(required_trust_level="hoch", next_url="/")).content.decode()
    assert "Mit BundID anmelden" not in page
    assert "offers no online login" in page
    assert client.get("/konto/oidc/bundid/?niveau=hoch&next=/")["Location"].startswith("/konto/anmelden/")


def test_providers_belong_to_their_municipality(client, oidc_server, beispielhausen, musterstadt, monkeypatch):
    identity_provider_for(oidc_server, beispielhausen, monkeypatch, button_label="Servicekonto Hessen")
    assert "Servicekonto Hessen" not in client.get("/konto/anmelden/").content.decode()
    assert client.get("/konto/oidc/bundid/").status_code == 404
    assert (
        "Servicekonto Hessen" in client.get("/konto/anmelden/", HTTP_HOST="beispielhausen.localhost").content.decode()
    )


def test_a_callback_with_a_foreign_state_is_refused(client, bundid, oidc_server):
    started = client.get(start_url())
    callback = oidc_server.log_in(started["Location"], account="erika", acr="hoch", redirect_uri=TEST_REDIRECT_URI)
    forged = callback.replace("state=", "state=x")
    response = client.get(forged.removeprefix("http://testserver"))
    assert response["Location"] == "/konto/anmelden/"
    assert "_auth_user_id" not in client.session
    # The real answer still works once, but never twice (the state is used up).
    assert client.get(callback.removeprefix("http://testserver"))["Location"] == "/leistungen/"
    client.post("/konto/abmelden/")
    assert client.get(callback.removeprefix("http://testserver"))["Location"] == "/konto/anmelden/"
    assert "_auth_user_id" not in client.session


def test_a_callback_in_another_browser_is_refused(client, bundid, oidc_server):
    from django.test import Client

    started = client.get(start_url())
    callback = oidc_server.log_in(started["Location"], account="erika", acr="hoch", redirect_uri=TEST_REDIRECT_URI)
    other = Client()
    response = other.get(callback.removeprefix("http://testserver"))
    assert response["Location"] == "/konto/anmelden/"
    assert "_auth_user_id" not in other.session


def test_cancelling_at_the_provider_logs_nobody_in(client, bundid, oidc_server):
    import re

    import requests

    started = client.get(start_url())
    browser = requests.Session()
    page = browser.get(started["Location"], timeout=10)
    abort = re.search(r'action="(/interaction/[^"]+/abort)"', page.text).group(1)
    url = browser.post(f"{bundid.issuer}{abort}", allow_redirects=False, timeout=10).headers["Location"]
    while not url.startswith(TEST_REDIRECT_URI):
        url = browser.get(url, allow_redirects=False, timeout=10).headers["Location"]
    response = client.get(url.removeprefix("http://testserver"))
    assert "_auth_user_id" not in client.session
    assert "The login was cancelled" in client.get(response["Location"]).content.decode()


def test_a_wrong_client_secret_fails_cleanly(client, bundid, oidc_login, monkeypatch):
    monkeypatch.setenv("RATHAUS_TEST_OIDC_SECRET", "falsch")
    response = oidc_login(account="erika", acr="hoch", start=start_url())
    assert "_auth_user_id" not in client.session
    assert "not available at the moment" in client.get(response["Location"]).content.decode()


def test_an_unreachable_provider_fails_cleanly(client, musterstadt, monkeypatch, oidc_server):
    from .conftest import OidcServer, free_port

    gone = OidcServer(issuer=f"http://127.0.0.1:{free_port()}", process=oidc_server.process)
    identity_provider_for(gone, musterstadt, monkeypatch)
    response = client.get(start_url())
    assert response["Location"].startswith("/konto/anmelden/")
    assert "not available at the moment" in client.get(response["Location"]).content.decode()


def test_a_staff_account_cannot_use_the_citizen_login_through_a_provider(client, caseworker, bundid, oidc_login):
    OidcIdentity.objects.create(provider=bundid, subject="max", user=caseworker)
    oidc_login(account="max", acr="hoch", start=start_url())
    assert "_auth_user_id" not in client.session
