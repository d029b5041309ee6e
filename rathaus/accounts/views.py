"""Login pages: citizens (e-mail and password, OpenID Connect) under /konto/, staff (password and TOTP) under
/verwaltung/. Views parse input, call one service or selector and render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.core.clients import client_ip
from rathaus.tenants.requests import MunicipalityRequest

from . import oidc, selectors, services
from . import session as keys
from .forms import CodeForm, EmailForm, LoginForm, RegistrationForm, StaffLoginForm
from .models import IdentityProvider, TrustLevel, User
from .totp import provisioning_uri

MAX_FLOWS = 5


def login_url_for(*, required_trust_level: str, next_url: str) -> str:
    """Where to send a citizen who lacks `required_trust_level`: the login page offering only methods reaching it.

    Above niedrig that means the identity providers whose acr values reach the level; their buttons start the
    OpenID Connect flow with `acr_values` for it (and `prompt=login`).
    """
    if required_trust_level not in TrustLevel.values:
        raise ValueError(f"unknown trust level {required_trust_level!r}")
    query = {"next": next_url}
    if required_trust_level != TrustLevel.NIEDRIG:
        query["niveau"] = required_trust_level
    return f"{reverse('accounts:login')}?{urlencode(query)}"


def _messages() -> dict[str, str]:
    return {
        "invalid": _("The e-mail address or the password is not correct."),
        "rate_limited": _("Too many attempts. For your protection, please wait 15 minutes and try again."),
        "unverified": _("Please confirm your e-mail address first. Use the link we sent you."),
        "staff_account": _("This is a staff account. Please use the staff login of the administration."),
        "level_too_low": _(
            "Your login did not reach the trust level this service needs. You have not been logged in for it. "
            "Please use a login that reaches it, for example the online ID card."
        ),
        "acr_unknown": _(
            "The login service did not confirm a trust level we know. For your safety you have not been logged in."
        ),
        "flow_lost": _("The login took too long or was started in another window. Please start it again."),
        "cancelled": _("The login was cancelled. You have not been logged in."),
        "provider_failed": _("The login service is not available at the moment. Please try again later."),
        "code_invalid": _("The code is not correct. Please enter the code your app shows now."),
        "staff_invalid": _("The user name or the password is not correct, or you have no access here."),
        "staff_expired": _("Please log in again: the time for entering the code has run out."),
    }


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _required_level(request: HttpRequest) -> str:
    level = request.POST.get("niveau") or request.GET.get("niveau") or TrustLevel.NIEDRIG
    return level if level in TrustLevel.values else TrustLevel.NIEDRIG


def _verify_link_base(request: HttpRequest) -> str:
    """The absolute URL a verification token is appended to (…/konto/bestaetigen/)."""
    return request.build_absolute_uri(reverse("accounts:verify", args=["token"]))[: -len("token/")]


def _hours() -> int:
    return int(settings.ACCOUNTS_EMAIL_VERIFICATION_SECONDS // 3600)


def _level_label(level: str) -> str:
    return str(TrustLevel(level).label)


# --- citizens ------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: MunicipalityRequest) -> HttpResponse:
    required = _required_level(request)
    next_url = _next_url(request, reverse("accounts:account"))
    if request.method == "GET" and selectors.trust_level_satisfies(selectors.session_trust_level(request), required):
        return redirect(next_url)
    password_allowed = required == TrustLevel.NIEDRIG
    form = LoginForm(request.POST if request.method == "POST" else None)
    refused = ""
    if request.method == "POST":
        if not password_allowed:
            refused = "level_too_low"
        elif form.is_valid():
            try:
                user = services.citizen_password_check(
                    email=form.cleaned_data["email"], password=form.cleaned_data["password"], ip=client_ip(request)
                )
            except services.LoginRefused as error:
                refused = error.code
            else:
                services.login_complete(request=request, user=user, trust_level=TrustLevel.NIEDRIG, method="password")
                return redirect(next_url)
    providers = selectors.identity_providers_for(municipality=request.municipality, required_trust_level=required)
    status = 400 if (refused or form.errors) else 200
    if refused == "rate_limited":
        status = 429
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "refused": refused,
            "refused_message": _messages().get(refused, ""),
            "required": required,
            "required_label": _level_label(required),
            "next": next_url,
            "password_allowed": password_allowed,
            "providers": [
                {"provider": provider, "url": _oidc_start_url(provider, required, next_url)} for provider in providers
            ],
        },
        status=status,
    )


def _oidc_start_url(provider: IdentityProvider, required: str, next_url: str) -> str:
    query = urlencode({"niveau": required, "next": next_url})
    return f"{reverse('accounts:oidc_start', args=[provider.slug])}?{query}"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.session_end(request=request)
    messages.success(request, _("You have been logged out."))
    return redirect("home")


@never_cache
@require_http_methods(["GET", "POST"])
def register_view(request: MunicipalityRequest) -> HttpResponse:
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.registration_submit(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            municipality=request.municipality,
            link_base=_verify_link_base(request),
            login_url=request.build_absolute_uri(reverse("accounts:login")),
        )
        return render(request, "accounts/check_inbox.html", {"email": form.cleaned_data["email"], "hours": _hours()})
    return render(
        request,
        "accounts/register.html",
        {"form": form, "password_rules": RegistrationForm.password_rules()},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def verify_view(request: MunicipalityRequest, token: str) -> HttpResponse:
    try:
        services.email_verify(token=token, municipality=request.municipality)
    except services.LoginRefused as error:
        return render(request, "accounts/verify_failed.html", {"expired": error.code == "link_expired"}, status=400)
    return render(request, "accounts/verified.html")


@never_cache
@require_http_methods(["GET", "POST"])
def resend_view(request: MunicipalityRequest) -> HttpResponse:
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.verification_resend(
            email=form.cleaned_data["email"],
            municipality=request.municipality,
            link_base=_verify_link_base(request),
        )
        return render(request, "accounts/check_inbox.html", {"email": form.cleaned_data["email"], "hours": _hours()})
    return render(request, "accounts/resend.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_GET
def account_view(request: MunicipalityRequest) -> HttpResponse:
    level = selectors.session_trust_level(request)
    if level is None or not isinstance(request.user, User):
        return redirect(login_url_for(required_trust_level=TrustLevel.NIEDRIG, next_url=request.get_full_path()))
    return render(
        request,
        "accounts/account.html",
        {
            "trust_level_label": _level_label(level),
            "method": selectors.session_login_method(request),
            "show_email": not request.user.email.endswith("@konto.invalid"),
        },
    )


# --- OpenID Connect ------------------------------------------------------------------------------------------


def _redirect_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc_callback"))


@never_cache
@require_GET
def oidc_start_view(request: MunicipalityRequest, slug: str) -> HttpResponse:
    provider = selectors.identity_provider_get(municipality=request.municipality, slug=slug)
    if provider is None:
        raise Http404
    required = _required_level(request)
    next_url = _next_url(request, reverse("accounts:account"))
    login_page = login_url_for(required_trust_level=required, next_url=next_url)
    try:
        url, flow = oidc.authorization_start(
            provider, redirect_uri=_redirect_uri(request), required_trust_level=required, next_url=next_url
        )
    except oidc.OidcError as error:
        messages.error(
            request, _messages()["level_too_low" if error.code == "level_unreachable" else "provider_failed"]
        )
        return redirect(login_page)
    flows = request.session.get(keys.OIDC_FLOWS) or {}
    live = {state: data for state, data in flows.items() if (f := oidc.Flow.from_session(data)) and not f.expired}
    live = dict(list(live.items())[-(MAX_FLOWS - 1) :]) if len(live) >= MAX_FLOWS else live
    live[flow.state] = flow.as_session()
    request.session[keys.OIDC_FLOWS] = live
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def oidc_callback_view(request: MunicipalityRequest) -> HttpResponse:
    flows = request.session.get(keys.OIDC_FLOWS) or {}
    state = request.GET.get("state", "")
    flow = oidc.Flow.from_session(flows.pop(state, None)) if isinstance(flows, dict) else None
    request.session[keys.OIDC_FLOWS] = flows
    if flow is None or flow.expired:
        messages.error(request, _messages()["flow_lost"])
        return redirect("accounts:login")
    retry = login_url_for(required_trust_level=flow.required_trust_level, next_url=flow.next_url)
    provider = IdentityProvider.objects.filter(
        pk=flow.provider_id, municipality=request.municipality, enabled=True
    ).first()
    if provider is None:
        messages.error(request, _messages()["flow_lost"])
        return redirect(retry)
    if request.GET.get("error"):
        cancelled = request.GET["error"] in {"access_denied", "login_required", "interaction_required"}
        messages.error(request, _messages()["cancelled" if cancelled else "provider_failed"])
        return redirect(retry)
    try:
        metadata = oidc.metadata(provider)
        if "iss" in request.GET and request.GET["iss"] != metadata.issuer:  # RFC 9207 mix-up defence
            raise oidc.OidcError("invalid_response", "iss of the response is not the provider's")
        identity = oidc.code_exchange(
            provider, flow=flow, code=request.GET.get("code", ""), redirect_uri=_redirect_uri(request)
        )
        services.oidc_login(
            request=request, provider=provider, identity=identity, required_trust_level=flow.required_trust_level
        )
    except oidc.OidcError:
        messages.error(request, _messages()["provider_failed"])
        return redirect(retry)
    except services.LoginRefused as error:
        message = _messages().get(error.code, _messages()["provider_failed"])
        if error.code == "level_too_low":
            message = _(
                "Your login did not reach the trust level “%(level)s” this service needs. You have not been "
                "logged in for it. Please use a login that reaches it, for example the online ID card."
            ) % {"level": _level_label(flow.required_trust_level)}
        messages.error(request, message)
        return redirect(retry)
    return redirect(flow.next_url)


ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


# --- staff ---------------------------------------------------------------------------------------------------


def staff_required(view: Callable[..., ResponseT]) -> Callable[..., ResponseT | HttpResponseRedirect]:
    """Only staff of this municipality who logged in with password and TOTP reach the view."""

    @wraps(view)
    def wrapper(request: MunicipalityRequest, *args: Any, **kwargs: Any) -> ResponseT | HttpResponseRedirect:
        if selectors.staff_user_for_request(request, request.municipality) is None:
            return redirect(f"{reverse('accounts:staff_login')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_GET
@staff_required
def staff_home_view(request: MunicipalityRequest) -> HttpResponse:
    assert isinstance(request.user, User) and request.municipality is not None
    roles = selectors.staff_roles_for(user=request.user, municipality=request.municipality)
    return render(request, "accounts/staff_home.html", {"roles": roles})


@never_cache
@require_http_methods(["GET", "POST"])
def staff_login_view(request: MunicipalityRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:staff_home"))
    form = StaffLoginForm(request.POST if request.method == "POST" else None)
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_password_check(
                login_name=form.cleaned_data["login_name"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
                municipality=request.municipality,
            )
        except services.LoginRefused as error:
            refused = error.code
        else:
            services.staff_pending_set(request=request, user=user)
            return redirect(f"{reverse('accounts:staff_code')}?{urlencode({'next': next_url})}")
    message = _messages()["staff_invalid" if refused == "invalid" else refused] if refused else ""
    status = 429 if refused == "rate_limited" else 400 if (refused or form.errors) else 200
    return render(
        request,
        "accounts/staff_login.html",
        {"form": form, "refused_message": message, "next": next_url},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def staff_code_view(request: MunicipalityRequest) -> HttpResponse:
    next_url = _next_url(request, reverse("accounts:staff_home"))
    user = services.staff_pending_get(request=request)
    if user is None:
        messages.error(request, _messages()["staff_expired"])
        return redirect(f"{reverse('accounts:staff_login')}?{urlencode({'next': next_url})}")
    totp = services.staff_totp_prepare(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_code_check(user=user, code=form.cleaned_data["code"], ip=client_ip(request))
        except services.LoginRefused as error:
            refused = error.code
        else:
            services.staff_login_complete(request=request, user=user)
            return redirect(next_url)
    enrolling = totp.confirmed_at is None
    context: dict[str, Any] = {
        "form": form,
        "refused_message": _messages().get(refused, ""),
        "next": next_url,
        "enrolling": enrolling,
    }
    if enrolling:
        issuer = request.municipality.name if request.municipality else "Rathaus"
        uri = provisioning_uri(totp.secret, account=user.username, issuer=f"Rathaus {issuer}")
        context["qr_data_uri"] = segno.make(uri, error="m").svg_data_uri(scale=5, border=4)
        context["secret_groups"] = " ".join(totp.secret[i : i + 4] for i in range(0, len(totp.secret), 4))
    status = 429 if refused == "rate_limited" else 400 if (refused or form.errors) else 200
    return render(request, "accounts/staff_code.html", context, status=status)


@require_POST
def staff_logout_view(request: HttpRequest) -> HttpResponse:
    services.session_end(request=request)
    messages.success(request, _("You have been logged out."))
    return redirect("accounts:staff_login")
