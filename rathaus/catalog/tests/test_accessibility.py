"""In a real browser: no axe-core violations, and everything works with the keyboard alone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/leistungen/",
    "/leistungen/?q=parken",
    "/leistungen/?q=Xylophonquartett",
    "/leistungen/?thema=verkehr",
    "/leistungen/bewohnerparkausweis/",
    "/leistungen/personalausweis/",
    "/leistungen/bewohnerparkausweis/start/",
    "/leistungen/gibt-es-nicht/",
]


def violations_of(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(node['target']) for node in violation['nodes'])})"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(page, catalog, path):
    page.goto(path)
    assert violations_of(page) == []


def test_english_pages_have_no_axe_violations(page, catalog):
    page.goto("/leistungen/bewohnerparkausweis/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert violations_of(page) == []


def test_the_first_tab_reaches_the_skip_link_which_jumps_to_the_content(page, catalog):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.is_visible(), "the skip link becomes visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_a_citizen_finds_and_opens_a_service_with_the_keyboard_only(page, catalog):
    page.goto("/")
    page.get_by_label("Was suchen Sie?").focus()
    page.keyboard.type("parken")
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistungen/?q=parken")
    first_result = page.locator(".service-list a").first
    assert first_result.inner_text() == "Bewohnerparkausweis"
    # Tab from the results heading to the first result link, then follow it.
    first_result.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistungen/bewohnerparkausweis/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bewohnerparkausweis"


def test_focus_is_visible_on_links_and_buttons(page, catalog):
    page.goto("/leistungen/")
    page.get_by_role("button", name="Suchen").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_the_language_switch_works_with_the_keyboard(page, catalog):
    page.goto("/")
    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("link", name="Skip to content").count() == 1
