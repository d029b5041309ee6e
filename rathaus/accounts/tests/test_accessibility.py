"""The login pages in a real browser: no axe-core violations, and everything works with the keyboard alone."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from rathaus.accounts import totp
from rathaus.accounts.models import StaffTotp
from rathaus.conftest import PASSWORD

from .conftest import identity_provider_for, start_oidc_server, stop_oidc_server

pytestmark = pytest.mark.browser


def violations_of(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(node['target']) for node in violation['nodes'])})"
        for violation in results.response["violations"]
    ]


@pytest.fixture
def live_provider(live_server, musterstadt, monkeypatch):
    """The OpenID provider process, this time with the live server's redirect URI."""
    server = start_oidc_server([f"{live_server.url}/konto/oidc/rueckkehr/"])
    provider = identity_provider_for(server, musterstadt, monkeypatch)
    yield provider
    stop_oidc_server(server)


@pytest.mark.parametrize(
    "path",
    [
        "/konto/anmelden/",
        "/konto/anmelden/?niveau=hoch&next=/leistungen/",
        "/konto/registrieren/",
        "/konto/bestaetigung-anfordern/",
        "/konto/bestaetigen/kaputt/",
        "/verwaltung/anmelden/",
    ],
)
def test_page_has_no_axe_violations(page, musterstadt, path):
    page.goto(path)
    assert violations_of(page) == []


def test_form_errors_have_no_axe_violations(page, musterstadt):
    page.goto("/konto/registrieren/")
    page.locator("#id_email").fill("keine-adresse")
    page.locator("form[action='/konto/registrieren/'] button[type=submit]").click()
    page.wait_for_selector(".kern-error")
    assert violations_of(page) == []
    page.goto("/konto/anmelden/")
    page.locator("form[action='/konto/anmelden/'] button[type=submit]").click()
    page.wait_for_selector("[role=alert]")
    assert violations_of(page) == []


def test_a_citizen_logs_in_and_out_with_the_keyboard_only(page, erika, musterstadt):
    page.goto("/konto/anmelden/")
    page.locator("#id_email").focus()
    page.keyboard.type(erika.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/")
    assert "Erika Mustermann" in page.content()
    assert violations_of(page) == []
    logout = page.locator("form[action='/konto/abmelden/'] button")
    logout.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert violations_of(page) == []


def test_a_citizen_steps_up_through_the_provider_in_the_browser(page, live_provider):
    page.goto("/konto/anmelden/?niveau=substanziell&next=/konto/")
    assert violations_of(page) == []
    button = page.get_by_role("link", name="Mit BundID anmelden")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#acr-values")
    assert page.locator("#acr-values").inner_text() == "substanziell hoch"
    page.select_option("#login", "erika")
    page.select_option("#acr", "substanziell")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/konto/")
    assert "substanziell" in page.locator("[data-trust-level]").inner_text()
    assert "Heidestraße 17" in page.content()
    assert violations_of(page) == []


def test_staff_enrol_and_log_in_with_the_keyboard_only(page, caseworker):
    page.goto("/verwaltung/anmelden/")
    page.locator("#id_login_name").focus()
    page.keyboard.type("max")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/anmelden/code/**")
    assert violations_of(page) == []
    secret = StaffTotp.objects.get(user=caseworker).secret
    page.locator("#id_code").focus()
    page.keyboard.type(totp.totp_code(secret))
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/")
    assert "Max Sachbearbeiter" in page.locator("[data-staff-user]").inner_text()
    assert violations_of(page) == []


def test_registration_from_form_to_confirmed_login_in_the_browser(page, musterstadt, smtp, live_server):
    page.goto("/konto/registrieren/")
    page.locator("#id_email").fill("paula.neu@example.org")
    page.locator("#id_password").fill("Lindenblüte-am-Markt-7")
    page.locator("#id_password_again").fill("Lindenblüte-am-Markt-7")
    page.locator("#id_password_again").press("Enter")
    page.wait_for_selector("text=paula.neu@example.org")
    assert violations_of(page) == []

    (message,) = smtp.to("paula.neu@example.org")
    link = smtp.link_in(message)
    assert link.startswith(live_server.url)
    page.goto(link)
    assert violations_of(page) == []
    page.locator("main a.kern-btn").click()
    page.locator("#id_email").fill("paula.neu@example.org")
    page.locator("#id_password").fill("Lindenblüte-am-Markt-7")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/konto/")
    assert "paula.neu@example.org" in page.content()
