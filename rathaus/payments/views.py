from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.tenants.requests import MunicipalityRequest

from . import selectors, services
from .forms import SandboxPaymentForm
from .models import Payment, SandboxCharge
from .providers import sandbox
from .providers.base import WebhookRejected, with_payment_parameter


def _sandbox_payment_or_404(request: MunicipalityRequest, public_id: str, token: str) -> Payment:
    """The payment of this page: only in its municipality, and only with the token its start handed out."""
    payment = selectors.payment_get_in_municipality(municipality=request.municipality, public_id=public_id)
    if payment is None or payment.provider != sandbox.SandboxProvider.code:
        raise Http404
    if not sandbox.page_token_valid(payment, token):
        raise Http404
    return payment


@require_http_methods(["GET", "POST"])
def sandbox_page(request: MunicipalityRequest, public_id: str) -> HttpResponse:
    """The sandbox provider's payment page (in reality a page of the payment provider)."""
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    payment = _sandbox_payment_or_404(request, public_id, token)
    if SandboxCharge.objects.filter(payment=payment).exists():
        return _already_done(request, payment)
    if request.method == "GET":
        form = SandboxPaymentForm(initial={"t": token, "method": payment.method})
        return render(request, "payments/sandbox.html", {"payment": payment, "form": form})
    form = SandboxPaymentForm(request.POST)
    if not form.is_valid():
        return render(request, "payments/sandbox.html", {"payment": payment, "form": form}, status=400)
    try:
        charge = sandbox.charge_create(
            payment=payment,
            outcome=form.outcome,
            method=form.cleaned_data["method"] if form.outcome != "cancelled" else "",
        )
    except sandbox.ChargeExists:
        return _already_done(request, payment)
    webhook_url = request.build_absolute_uri(reverse("payments:webhook", args=[sandbox.SandboxProvider.code]))
    sandbox.webhook_send(charge=charge, webhook_url=webhook_url)
    if form.cleaned_data["close_browser"]:
        return render(request, "payments/sandbox_closed.html", {"payment": payment, "charge": charge})
    return redirect("payments:return", public_id=payment.public_id)


def _already_done(request: MunicipalityRequest, payment: Payment) -> HttpResponse:
    return render(request, "payments/sandbox_done.html", {"payment": payment}, status=409)


@require_GET
def payment_return(request: MunicipalityRequest, public_id: str) -> HttpResponse:
    """The browser is back from the provider: book what the provider says, then go on to the return address."""
    payment = selectors.payment_get_in_municipality(municipality=request.municipality, public_id=public_id)
    if payment is None:
        raise Http404
    services.payment_return(payment=payment)
    return redirect(with_payment_parameter(payment.return_url, payment))


@csrf_exempt  # providers cannot send our CSRF token; the HMAC signature authenticates them instead
def webhook(request: MunicipalityRequest, provider_code: str) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse(
            {"detail": "Use POST.", "code": "method_not_allowed"}, status=405, headers={"Allow": "POST"}
        )
    try:
        result = services.webhook_receive(provider_code=provider_code, request=request)
    except WebhookRejected as rejected:
        return JsonResponse({"detail": rejected.message, "code": rejected.code}, status=rejected.status)
    outcome = "duplicate" if result.duplicate else "booked" if result.booked else "unchanged"
    return JsonResponse({"status": outcome, "payment": str(result.payment.public_id)})
