"""The sandbox payment page in a real browser: axe-clean, usable with the keyboard alone, and the delayed
notification over HTTP completes a payment whose citizen closed the browser."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from rathaus.payments.models import Payment, WebhookEvent

from .support import start_payment

pytestmark = pytest.mark.browser


def violations_of(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(str(node['target']) for node in violation['nodes'])})"
        for violation in results.response["violations"]
    ]


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(0.1)


def status_of(payment: Payment) -> str:
    return Payment.objects.values_list("status", flat=True).get(pk=payment.pk)


@pytest.fixture
def start(musterstadt):
    return start_payment(musterstadt, method="card", return_url="/")


def test_the_payment_page_has_no_axe_violations(page, start):
    page.goto(start.redirect_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Bezahlseite (Testbetrieb)"
    assert violations_of(page) == []


def test_the_payment_page_in_english_has_no_axe_violations(page, start):
    page.goto(start.redirect_url)
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert violations_of(page) == []


def test_the_error_state_has_no_axe_violations_and_names_the_problem(page, start):
    page.goto(start.redirect_url)
    page.evaluate("document.querySelectorAll('input[name=method]').forEach(radio => radio.checked = false)")
    page.get_by_role("button", name="Bezahlen").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("radiogroup").count() + page.get_by_role("group").count() >= 1
    assert violations_of(page) == []


def test_the_closed_browser_and_already_done_pages_have_no_axe_violations(page, start, signals):
    page.goto(start.redirect_url)
    page.get_by_label("Browser schließen nach Zahlung").check()
    page.get_by_role("button", name="Bezahlen").click()
    page.wait_for_selector("h1:has-text('Browser geschlossen')")
    assert violations_of(page) == []
    page.goto(start.redirect_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Zahlung bereits abgeschlossen"
    assert violations_of(page) == []


def test_a_citizen_pays_with_the_keyboard_only(page, start, signals):
    page.goto(start.redirect_url)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "method-card":
            break
    else:
        pytest.fail("the payment methods cannot be reached with Tab")
    page.keyboard.press("ArrowDown")  # from card to PayPal
    assert page.evaluate("document.activeElement.id") == "method-paypal"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "close-browser"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Bezahlen"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows its focus"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/?payment={start.payment.public_id}")
    start.payment.refresh_from_db()
    assert (start.payment.status, start.payment.method) == ("succeeded", "paypal")
    assert signals == [("payment_succeeded", start.payment.public_id, "succeeded")]


def test_a_delayed_notification_over_http_completes_the_payment_after_the_browser_closed(
    page, start, signals, settings
):
    settings.RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY = 1
    page.goto(start.redirect_url)
    page.get_by_label("Browser schließen nach Zahlung").check()
    page.get_by_role("button", name="Bezahlen").click()
    page.wait_for_selector("h1:has-text('Browser geschlossen')")
    assert status_of(start.payment) == "created", "nothing is booked until the provider's notification arrives"
    page.close()
    wait_for(lambda: status_of(start.payment) == "succeeded")
    wait_for(lambda: len(signals) == 1)
    assert signals == [("payment_succeeded", start.payment.public_id, "succeeded")]
    assert WebhookEvent.objects.filter(payment=start.payment).count() == 1


def test_the_browser_return_books_first_and_the_later_notification_changes_nothing(page, start, signals, settings):
    settings.RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY = 1
    page.goto(start.redirect_url)
    page.get_by_role("button", name="Bezahlen").click()
    page.wait_for_url(f"**/?payment={start.payment.public_id}")
    assert status_of(start.payment) == "succeeded"
    assert not WebhookEvent.objects.exists(), "booked by the browser return, before the notification"
    wait_for(lambda: WebhookEvent.objects.filter(payment=start.payment).count() == 1)
    assert signals == [("payment_succeeded", start.payment.public_id, "succeeded")]
