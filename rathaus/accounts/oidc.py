"""OpenID Connect relying party: authorization code flow with PKCE, state and nonce.

Discovery (`/.well-known/openid-configuration`) and the provider's keys (JWKS) are fetched over HTTP and cached.
The ID token's signature is checked against the JWKS with joserfc; `iss`, `aud`, `azp`, `exp`, `iat` and `nonce`
are checked here. Errors carry a short code that views turn into a translated message.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import logging
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from .models import IdentityProvider

logger = logging.getLogger(__name__)

HTTP_TIMEOUT = 10
METADATA_SECONDS = 3600
FLOW_SECONDS = 900  # a login started more than 15 minutes ago is not finished any more
CLOCK_LEEWAY = 60
# Asymmetric algorithms only: a token signed with the client secret (HS256) or unsigned ("none") is refused.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class OidcError(Exception):
    """A login through the provider failed. `code` is a short reason (for messages and statistics)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    token_auth_methods: tuple[str, ...]


@dataclass(frozen=True)
class Flow:
    """What the login started, kept in the session under its `state` until the provider answers."""

    provider_id: int
    state: str
    nonce: str
    code_verifier: str
    required_trust_level: str
    next_url: str
    started_at: float

    def as_session(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @classmethod
    def from_session(cls, data: object) -> Flow | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(**data)
        except TypeError:
            return None

    @property
    def expired(self) -> bool:
        return time.time() - self.started_at > FLOW_SECONDS


@dataclass(frozen=True)
class Identity:
    """The verified result of a login: the subject, the acr and the claims for prefill."""

    subject: str
    acr: str | None
    claims: dict[str, Any]


def url_allowed(url: str) -> bool:
    """HTTPS everywhere; plain HTTP only on this machine (a provider process in tests or development)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def client_secret(provider: IdentityProvider) -> str:
    secret = os.environ.get(provider.client_secret_env, "")
    if not secret:
        logger.error(
            "identity provider %s: environment variable %s is not set", provider.slug, provider.client_secret_env
        )
        raise OidcError("misconfigured", f"{provider.client_secret_env} is not set")
    return secret


def _get_json(url: str, **kwargs: Any) -> dict[str, Any]:
    if not url_allowed(url):
        raise OidcError("misconfigured", f"refusing insecure URL {url}")
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, **kwargs)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcError("provider_unreachable", f"{url}: {error}") from error
    if not isinstance(data, dict):
        raise OidcError("provider_error", f"{url} did not answer with a JSON object")
    return data


def _cache_key(provider: IdentityProvider, what: str) -> str:
    digest = hashlib.sha256(f"{provider.pk}|{provider.issuer}|{provider.client_id}".encode()).hexdigest()[:24]
    return f"rathaus:oidc:{what}:{digest}"


def metadata(provider: IdentityProvider) -> Metadata:
    key = _cache_key(provider, "metadata")
    cached = cache.get(key)
    if isinstance(cached, Metadata):
        return cached
    document = _get_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer") != provider.issuer:
        raise OidcError("misconfigured", f"discovery names issuer {document.get('issuer')!r}, not {provider.issuer!r}")
    try:
        result = Metadata(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            userinfo_endpoint=document.get("userinfo_endpoint", ""),
            token_auth_methods=tuple(document.get("token_endpoint_auth_methods_supported") or ("client_secret_basic",)),
        )
    except KeyError as error:
        raise OidcError("provider_error", f"discovery lacks {error}") from error
    for url in (result.authorization_endpoint, result.token_endpoint, result.jwks_uri):
        if not url_allowed(url):
            raise OidcError("misconfigured", f"insecure endpoint {url}")
    cache.set(key, result, METADATA_SECONDS)
    return result


def _key_set(provider: IdentityProvider, meta: Metadata, *, refresh: bool = False) -> KeySet:
    key = _cache_key(provider, "jwks")
    data = None if refresh else cache.get(key)
    if not isinstance(data, dict):
        data = _get_json(meta.jwks_uri)
        cache.set(key, data, METADATA_SECONDS)
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcError("provider_error", f"JWKS: {error}") from error


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def authorization_start(
    provider: IdentityProvider, *, redirect_uri: str, required_trust_level: str, next_url: str
) -> tuple[str, Flow]:
    """The provider's authorization URL and the flow to keep in the session."""
    meta = metadata(provider)
    acr_values = provider.acr_values_for(required_trust_level)
    if not acr_values:
        raise OidcError("level_unreachable")
    flow = Flow(
        provider_id=provider.pk,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
        required_trust_level=required_trust_level,
        next_url=next_url,
        started_at=time.time(),
    )
    parameters = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": _b64(hashlib.sha256(flow.code_verifier.encode()).digest()),
        "code_challenge_method": "S256",
        "acr_values": " ".join(acr_values),
    }
    if required_trust_level != "niedrig":
        parameters["prompt"] = "login"  # a step-up must authenticate anew, not reuse a weaker session there
    separator = "&" if "?" in meta.authorization_endpoint else "?"
    return f"{meta.authorization_endpoint}{separator}{urlencode(parameters)}", flow


def code_exchange(provider: IdentityProvider, *, flow: Flow, code: str, redirect_uri: str) -> Identity:
    """Redeem the code (with the PKCE verifier), verify the ID token and read the userinfo."""
    meta = metadata(provider)
    secret = client_secret(provider)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": flow.code_verifier,
    }
    auth: tuple[str, str] | None = None
    if "client_secret_basic" in meta.token_auth_methods:
        auth = (provider.client_id, secret)
    else:
        form.update(client_id=provider.client_id, client_secret=secret)
    try:
        response = requests.post(
            meta.token_endpoint, data=form, auth=auth, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"}
        )
        tokens = response.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcError("provider_unreachable", f"token endpoint: {error}") from error
    if response.status_code != 200 or not isinstance(tokens, dict) or "id_token" not in tokens:
        detail = tokens.get("error", "") if isinstance(tokens, dict) else ""
        raise OidcError("token_refused", f"{response.status_code} {detail}")
    claims = id_token_verify(provider, meta, token=str(tokens["id_token"]), nonce=flow.nonce)
    merged = dict(claims)
    access_token = tokens.get("access_token")
    if meta.userinfo_endpoint and isinstance(access_token, str):
        userinfo = _get_json(meta.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"})
        if userinfo.get("sub") != claims["sub"]:
            raise OidcError("invalid_token", "userinfo is about another subject")
        # The trust level always comes from the signed ID token, never from userinfo.
        merged.update({key: value for key, value in userinfo.items() if key not in {"acr", "iss", "aud", "sub"}})
    acr = claims.get("acr")
    return Identity(subject=str(claims["sub"]), acr=acr if isinstance(acr, str) else None, claims=merged)


def id_token_verify(provider: IdentityProvider, meta: Metadata, *, token: str, nonce: str) -> dict[str, Any]:
    try:
        try:
            decoded = jwt.decode(token, _key_set(provider, meta), algorithms=ALGORITHMS)
        except InvalidKeyIdError:
            # The provider may have rotated its keys since we cached them.
            decoded = jwt.decode(token, _key_set(provider, meta, refresh=True), algorithms=ALGORITHMS)
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY,
            iss={"essential": True, "value": meta.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise OidcError("invalid_token", str(error)) from error
    claims = dict(decoded.claims)
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id:
        raise OidcError("invalid_token", "several audiences and azp is not our client")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OidcError("invalid_token", "sub missing")
    return claims
