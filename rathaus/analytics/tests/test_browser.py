"""The dashboard in Chromium with the keyboard alone, axe-core clean on every page: overview, the
Bewohnerparkausweis funnel, the comparison, the settings."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from rathaus.analytics.models import AnalyticsSettings
from rathaus.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.analytics, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 120) -> None:
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} cannot be reached with Tab")


def test_staff_find_the_funnel_shares_and_comparison_with_the_keyboard(
    browser, live_server, catalog, musterstadt, beispielhausen, municipality_admin, staff_log_in
):
    call_command("generate_events", "6000", "--days", "40", "--seed", "5", stdout=StringIO())
    for municipality in (musterstadt, beispielhausen):
        AnalyticsSettings.objects.create(municipality=municipality, compare=True)
    client = Client()
    staff_log_in(client, municipality_admin)
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    context.add_cookies(
        [{"name": name, "value": morsel.value, "url": live_server.url} for name, morsel in client.cookies.items()]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/verwaltung/")
    tab_to(page, "a[href='/verwaltung/statistik/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/verwaltung/statistik/")
    assert page.locator("[data-table=payment] tbody tr").count() >= 3
    assert page.locator("[data-table=login] tbody tr").count() >= 1
    assert_accessible(page)

    # The period form works without JavaScript: choose "Jahr" by keyboard and send it.
    tab_to(page, "#period-kind")
    page.keyboard.press("End")
    page.keyboard.press("ArrowUp")  # "Jahr" (the last is the custom range)
    tab_to(page, ".stats-period button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**zeitraum=jahr**")
    assert_accessible(page)

    tab_to(page, "tr[data-service=bewohnerparkausweis] a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistung/bewohnerparkausweis/**")
    assert page.locator("[data-worst-step=nachweise]").is_visible()
    assert page.locator("tr[data-step=nachweise] strong").is_visible()
    assert_accessible(page)

    tab_to(page, "a[href^='/verwaltung/statistik/vergleich/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/vergleich/**")
    assert page.locator("th[data-municipality]").count() == 2
    assert_accessible(page)

    page.goto("/verwaltung/statistik/einstellungen/")
    assert_accessible(page)
    tab_to(page, "#settings-open-data")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():  # the answer of the POST comes back to the same address
        page.keyboard.press("Enter")
    assert page.get_by_role("status").is_visible()
    assert_accessible(page)
    assert AnalyticsSettings.objects.get(municipality=musterstadt).publish_open_data
    context.close()
