"""Writes of accounts, staff roles and logins."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.analytics.services import event_emit
from rathaus.core import ratelimit
from rathaus.tenants.models import Department, Municipality

from . import session as keys
from .models import IdentityProvider, OidcIdentity, StaffRole, StaffTotp, TrustLevel, User
from .oidc import Identity
from .selectors import is_staff_account, trust_level_satisfies
from .totp import secret_new, totp_match

BACKEND = "django.contrib.auth.backends.ModelBackend"
VERIFY_SALT = "rathaus.accounts.email-verification"


class LoginRefused(Exception):
    """A login or registration step was refused. `code` says why (views turn it into a translated message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _limits() -> dict[str, ratelimit.Limit]:
    window = settings.ACCOUNTS_LOGIN_WINDOW_SECONDS
    return {
        "email": ratelimit.Limit("login-email", settings.ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT, window),
        "ip": ratelimit.Limit("login-ip", settings.ACCOUNTS_LOGIN_LIMIT_PER_IP, window),
        "staff": ratelimit.Limit("staff-account", settings.ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT, window),
        "staff_ip": ratelimit.Limit("staff-ip", settings.ACCOUNTS_LOGIN_LIMIT_PER_IP, window),
        "mail": ratelimit.Limit("mail", settings.ACCOUNTS_MAILS_PER_ADDRESS, window),
    }


def email_normalize(email: str) -> str:
    return email.strip().lower()


# --- accounts made by operators (demo, fixtures) ---------------------------------------------------------------


@transaction.atomic
def user_ensure(*, username: str, email: str, password: str, **fields: object) -> tuple[User, bool]:
    """Create the user unless the username exists; an existing account (and its password) is kept.

    Accounts made this way are set up by an operator, so their e-mail address counts as confirmed.
    """
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing, False
    fields.setdefault("email_verified_at", timezone.now())
    user = User(username=username, email=email, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, True


@transaction.atomic
def staff_role_ensure(
    *, user: User, municipality: Municipality, role: str, department: Department | None = None
) -> StaffRole:
    staff_role, _created = StaffRole.objects.get_or_create(
        user=user, municipality=municipality, department=department, role=role
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return staff_role


# --- the login in the session --------------------------------------------------------------------------------


@transaction.atomic
def login_complete(*, request: HttpRequest, user: User, trust_level: str, method: str) -> None:
    """Log the citizen in: a new session key, the trust level and method in the session, the "login" event."""
    if trust_level not in TrustLevel.values:
        raise ValueError(f"unknown trust level {trust_level!r}")
    login(request, user, backend=BACKEND)  # rotates the session key (and flushes another user's session)
    request.session.pop(keys.STAFF_PENDING, None)
    request.session[keys.KIND] = keys.CITIZEN
    request.session[keys.TRUST_LEVEL] = trust_level
    request.session[keys.METHOD] = method
    municipality = getattr(request, "municipality", None)
    if isinstance(municipality, Municipality):
        event_emit(name="login", municipality=municipality, login_method=method, trust_level=trust_level)


def session_end(*, request: HttpRequest) -> None:
    """Log out (citizen or staff): the session and everything in it is gone."""
    logout(request)


# --- registration with e-mail and password -------------------------------------------------------------------


def _password_fingerprint(user: User) -> str:
    # A new password (registering again before confirming) makes older links useless.
    return hashlib.sha256(user.password.encode()).hexdigest()[:12]


def verification_token_make(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email, "p": _password_fingerprint(user)}, salt=VERIFY_SALT)


def _send(*, template: str, to: str, subject: str, context: dict[str, Any]) -> None:
    body = render_to_string(f"accounts/email/{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def _verification_send(*, user: User, municipality: Municipality | None, link_base: str) -> None:
    if _limits()["mail"].exceeded(user.email):
        return  # no more mails to this address for a while; the answer on the page stays the same
    _limits()["mail"].failure(user.email)
    hours = settings.ACCOUNTS_EMAIL_VERIFICATION_SECONDS // 3600
    _send(
        template="verify",
        to=user.email,
        subject=_("Please confirm your e-mail address"),
        context={
            "link": f"{link_base}{verification_token_make(user=user)}/",
            "municipality": municipality,
            "hours": hours,
        },
    )


@transaction.atomic
def registration_submit(
    *, email: str, password: str, municipality: Municipality | None, link_base: str, login_url: str
) -> None:
    """Register a citizen; the address must be confirmed through the link sent to it before the first login.

    The answer is the same whether the address is new or already has an account (no enumeration): a known,
    confirmed address gets a notice instead of a link; a known, unconfirmed one gets the new password and a new link.
    `link_base` is the absolute URL the token is appended to; `login_url` the absolute URL of the login page.
    """
    email = email_normalize(email)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User(username=f"b-{secrets.token_hex(10)}", email=email)
        user.set_password(password)
        user.save()
        _verification_send(user=user, municipality=municipality, link_base=link_base)
    elif user.email_verified_at is None and not is_staff_account(user):
        user.set_password(password)
        user.save(update_fields=["password"])
        _verification_send(user=user, municipality=municipality, link_base=link_base)
    else:
        make_password(password)  # the same work as above, so the time taken tells nothing either
        if not _limits()["mail"].exceeded(user.email):
            _limits()["mail"].failure(user.email)
            _send(
                template="already_registered",
                to=user.email,
                subject=_("You already have an account"),
                context={"municipality": municipality, "login_link": login_url},
            )


@transaction.atomic
def email_verify(*, token: str, municipality: Municipality | None) -> User:
    """Confirm the address of the token. Raises LoginRefused("link_expired" / "link_invalid")."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=settings.ACCOUNTS_EMAIL_VERIFICATION_SECONDS)
    except signing.SignatureExpired as error:
        raise LoginRefused("link_expired") from error
    except signing.BadSignature as error:
        raise LoginRefused("link_invalid") from error
    if not isinstance(data, dict):
        raise LoginRefused("link_invalid")
    user_id, email = data.get("u"), data.get("e")
    if not isinstance(user_id, int) or not isinstance(email, str):
        raise LoginRefused("link_invalid")
    user = User.objects.select_for_update().filter(pk=user_id, email=email).first()
    if user is None or data.get("p") != _password_fingerprint(user):
        raise LoginRefused("link_invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        if municipality is not None:
            event_emit(name="registration_completed", municipality=municipality, login_method="password")
    return user


@transaction.atomic
def verification_resend(*, email: str, municipality: Municipality | None, link_base: str) -> None:
    """Send a new link if an unconfirmed citizen account has this address; the caller answers the same either way."""
    user = User.objects.filter(email__iexact=email_normalize(email), email_verified_at__isnull=True).first()
    if user is not None and not is_staff_account(user):
        _verification_send(user=user, municipality=municipality, link_base=link_base)


def citizen_password_check(*, email: str, password: str, ip: str) -> User:
    """The citizen with this e-mail and password, or LoginRefused: rate_limited, invalid, unverified, staff_account."""
    limits = _limits()
    email = email_normalize(email)
    checks = [(limits["email"], email), (limits["ip"], ip)]
    if ratelimit.any_exceeded(checks):
        raise LoginRefused("rate_limited")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        User().set_password(password)  # same time as a real check
        ratelimit.record_failure(checks)
        raise LoginRefused("invalid")
    if not user.check_password(password) or not user.is_active:
        ratelimit.record_failure(checks)
        raise LoginRefused("invalid")
    # From here on the password was right, so the reason may be told.
    if is_staff_account(user):
        raise LoginRefused("staff_account")
    if user.email_verified_at is None:
        raise LoginRefused("unverified")
    limits["email"].reset(email)
    return user


# --- OpenID Connect ------------------------------------------------------------------------------------------


_STREET = re.compile(r"^(?P<street>.*?)\s+(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$")


def _prefill(user: User, claims: dict[str, Any]) -> list[str]:
    """Copy name, date of birth and address from the provider's claims onto the user; returns changed fields."""
    values: dict[str, Any] = {}
    for claim, field, length in (("given_name", "first_name", 150), ("family_name", "last_name", 150)):
        if isinstance(claims.get(claim), str) and claims[claim].strip():
            values[field] = claims[claim].strip()[:length]
    if isinstance(claims.get("birthdate"), str):
        # Partial dates such as "0000-08-12" carry no usable date of birth.
        with contextlib.suppress(ValueError):
            values["birthdate"] = date.fromisoformat(claims["birthdate"])
    address = claims.get("address")
    if isinstance(address, str):
        try:
            address = json.loads(address)
        except ValueError:
            address = None
    if isinstance(address, dict):
        street = str(address.get("street_address") or "").strip().splitlines()
        if street:
            match = _STREET.match(street[0])
            values["street"] = (match["street"] if match else street[0])[:200]
            values["house_number"] = match["number"].replace(" ", "")[:20] if match else ""
        postal_code = str(address.get("postal_code") or "").strip()
        if re.fullmatch(r"\d{5}", postal_code):
            values["postal_code"] = postal_code
        if address.get("locality"):
            values["city"] = str(address["locality"]).strip()[:100]
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    return changed


def _oidc_user_new(*, provider: IdentityProvider, identity: Identity) -> User:
    email = identity.claims.get("email")
    verified = identity.claims.get("email_verified") is True
    user = User(username=f"oidc-{secrets.token_hex(10)}")
    if isinstance(email, str) and verified and not User.objects.filter(email__iexact=email).exists():
        user.email = email_normalize(email)
        user.email_verified_at = timezone.now()
    else:
        # Never join an existing account by e-mail (that would let a provider take it over); a placeholder in the
        # reserved .invalid domain keeps e-mail unique.
        user.email = f"{user.username}@konto.invalid"
    user.set_unusable_password()
    return user


def oidc_login(
    *, request: HttpRequest, provider: IdentityProvider, identity: Identity, required_trust_level: str
) -> User:
    """Log in the citizen a provider vouched for, at the trust level its acr stands for.

    Refused (LoginRefused) when the acr is missing or unknown to this provider's mapping ("acr_unknown"), when it
    is weaker than the purpose of the login requires ("level_too_low"; the session stays as it was), or when the
    identity belongs to a staff account ("staff_account"). The user is found by (provider, sub); a citizen who is
    logged in already gets the identity linked to their account; otherwise a new account is created.
    """
    level = provider.trust_level_for(identity.acr)
    if level is None:
        raise LoginRefused("acr_unknown")
    if not trust_level_satisfies(level, required_trust_level):
        raise LoginRefused("level_too_low")
    with transaction.atomic():
        link = (
            OidcIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=identity.subject)
            .first()
        )
        current = request.user if request.session.get(keys.KIND) == keys.CITIZEN else None
        created = False
        if link is not None:
            user = link.user
        else:
            if isinstance(current, User) and current.is_authenticated:
                user = current
            else:
                user = _oidc_user_new(provider=provider, identity=identity)
                created = True
        if not created and (is_staff_account(user) or not user.is_active):
            raise LoginRefused("staff_account" if user.is_active else "invalid")
        changed = _prefill(user, identity.claims)
        if created:
            user.save()
        elif changed:
            user.save(update_fields=changed)
        if link is None:
            link = OidcIdentity.objects.create(provider=provider, subject=identity.subject, user=user)
        link.last_login_at = timezone.now()
        link.save(update_fields=["last_login_at"])
        if created:
            event_emit(name="registration_completed", municipality=provider.municipality, login_method="oidc")
        login_complete(request=request, user=user, trust_level=level, method="oidc")
        request.session[keys.PROVIDER] = provider.slug
    return user


# --- staff: password and TOTP --------------------------------------------------------------------------------


def staff_password_check(*, login_name: str, password: str, ip: str, municipality: Municipality | None) -> User:
    """The staff member of `municipality` with this user name (or e-mail) and password; else LoginRefused."""
    limits = _limits()
    login_name = login_name.strip()
    checks = [(limits["staff"], login_name), (limits["staff_ip"], ip)]
    if ratelimit.any_exceeded(checks):
        raise LoginRefused("rate_limited")
    user = (
        User.objects.filter(username=login_name).first()
        or User.objects.filter(email__iexact=email_normalize(login_name)).first()
    )
    if user is None:
        User().set_password(password)
        ratelimit.record_failure(checks)
        raise LoginRefused("invalid")
    works_here = municipality is not None and StaffRole.objects.filter(user=user, municipality=municipality).exists()
    if not user.check_password(password) or not user.is_active or not works_here:
        # A citizen account, or staff of another municipality, gets the same answer as a wrong password.
        ratelimit.record_failure(checks)
        raise LoginRefused("invalid")
    return user


def staff_pending_set(*, request: HttpRequest, user: User) -> None:
    """Remember that `user` passed the password step; the code step must follow within a few minutes."""
    request.session.cycle_key()
    request.session[keys.STAFF_PENDING] = {"user": user.pk, "at": time.time()}


def staff_pending_get(*, request: HttpRequest) -> User | None:
    pending = request.session.get(keys.STAFF_PENDING)
    if (
        not isinstance(pending, dict)
        or time.time() - float(pending.get("at", 0)) > settings.ACCOUNTS_STAFF_CODE_SECONDS
    ):
        return None
    user_id = pending.get("user")
    return User.objects.filter(pk=user_id, is_active=True).first() if isinstance(user_id, int) else None


@transaction.atomic
def staff_totp_prepare(*, user: User) -> StaffTotp:
    """The staff member's TOTP record; a new secret for enrolment when none is confirmed yet."""
    totp, _created = StaffTotp.objects.get_or_create(user=user, defaults={"secret": secret_new()})
    return totp


def staff_code_check(*, user: User, code: str, ip: str) -> None:
    """Accept the 6-digit code (and confirm enrolment with the first one); else LoginRefused."""
    limits = _limits()
    checks = [(limits["staff"], user.username), (limits["staff_ip"], ip)]
    if ratelimit.any_exceeded(checks):
        raise LoginRefused("rate_limited")
    if not _staff_code_accept(user=user, code=code):
        ratelimit.record_failure(checks)  # after the transaction, which a refusal must not take the count with
        raise LoginRefused("code_invalid")
    limits["staff"].reset(user.username)


@transaction.atomic
def _staff_code_accept(*, user: User, code: str) -> bool:
    """Use the code if it is valid and newer than the last one used (a code counts once)."""
    totp = StaffTotp.objects.select_for_update().filter(user=user).first()
    step = totp_match(totp.secret, code, after_step=totp.last_used_step) if totp else None
    if totp is None or step is None:
        return False
    totp.last_used_step = step
    fields = ["last_used_step"]
    if totp.confirmed_at is None:
        totp.confirmed_at = timezone.now()
        fields.append("confirmed_at")
    totp.save(update_fields=fields)
    return True


@transaction.atomic
def staff_login_complete(*, request: HttpRequest, user: User) -> None:
    """Log the staff member in after password and code. The session is a staff session, never a citizen one."""
    login(request, user, backend=BACKEND)  # rotates the session key
    request.session.pop(keys.STAFF_PENDING, None)
    request.session[keys.KIND] = keys.STAFF
    request.session[keys.METHOD] = "password_totp"
    request.session.pop(keys.TRUST_LEVEL, None)
