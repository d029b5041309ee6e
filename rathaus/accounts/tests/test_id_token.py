"""The ID token is only believed when its signature matches the provider's JWKS and iss, aud, exp, nonce fit.

A small issuer runs in a thread on 127.0.0.1 and serves its discovery document and JWKS over real HTTP; the tests
sign tokens with its key (or with others) and hand them to the verification.
"""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from rathaus.accounts import oidc
from rathaus.accounts.models import IdentityProvider


class Issuer:
    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})]
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    body = {
                        "issuer": issuer.url,
                        "authorization_endpoint": f"{issuer.url}/auth",
                        "token_endpoint": f"{issuer.url}/token",
                        "jwks_uri": f"{issuer.url}/jwks",
                    }
                elif self.path == "/jwks":
                    body = {"keys": [key.as_dict(private=False) for key in issuer.keys]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def token(self, key=None, alg="RS256", **claims) -> str:
        now = int(time.time())
        payload = {"iss": self.url, "aud": "rathaus", "sub": "s-1", "iat": now, "exp": now + 300, "nonce": "n-1"}
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        key = key or self.keys[0]
        header = {"alg": alg}
        if isinstance(key, RSAKey):
            header["kid"] = key.kid
        return jwt.encode(header, payload, key, algorithms=[alg])


@pytest.fixture
def issuer():
    running = Issuer()
    yield running
    running.server.shutdown()
    running.server.server_close()


@pytest.fixture
def provider(issuer, musterstadt):
    return IdentityProvider.objects.create(
        municipality=musterstadt,
        slug="test",
        name="Test",
        button_label="Test",
        issuer=issuer.url,
        client_id="rathaus",
        client_secret_env="UNUSED",
        acr_mapping={"substanziell": "substanziell"},
    )


def verify(provider, token, nonce="n-1"):
    return oidc.id_token_verify(provider, oidc.metadata(provider), token=token, nonce=nonce)


def test_a_token_signed_by_the_provider_is_accepted(issuer, provider):
    assert verify(provider, issuer.token(acr="substanziell"))["acr"] == "substanziell"


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "http://127.0.0.1:1"},
        {"aud": "someone-else"},
        {"aud": ["rathaus", "someone-else"]},  # several audiences need azp = our client
        {"exp": int(time.time()) - 3600},
        {"iat": None},
        {"sub": None},
        {"nonce": "replayed"},
        {"nonce": None},
    ],
)
def test_a_token_with_wrong_claims_is_refused(issuer, provider, claims):
    with pytest.raises(oidc.OidcError) as refused:
        verify(provider, issuer.token(**claims))
    assert refused.value.code == "invalid_token"


def test_a_token_signed_with_another_key_is_refused(issuer, provider):
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    with pytest.raises(oidc.OidcError):
        verify(provider, issuer.token(key=stranger))


def test_a_token_signed_with_the_client_secret_or_unsigned_is_refused(issuer, provider):
    with pytest.raises(oidc.OidcError):
        verify(provider, issuer.token(key=OctKey.import_key("x" * 32), alg="HS256"))
    signed_payload = issuer.token().split(".")[1]
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none"}').decode().rstrip("=") + f".{signed_payload}."
    with pytest.raises(oidc.OidcError):
        verify(provider, unsigned)


def test_rotated_keys_are_fetched_again(issuer, provider):
    verify(provider, issuer.token())  # caches the JWKS with k1
    issuer.keys = [RSAKey.generate_key(2048, parameters={"kid": "k2", "use": "sig", "alg": "RS256"})]
    assert verify(provider, issuer.token())["sub"] == "s-1"


def test_a_discovery_document_naming_another_issuer_is_refused(issuer, provider):
    provider.issuer = issuer.url + "/"
    with pytest.raises(oidc.OidcError) as refused:
        oidc.metadata(provider)
    assert refused.value.code == "misconfigured"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://id.bund.de", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://id.example.org", False),
        ("ftp://id.example.org", False),
    ],
)
def test_providers_are_reached_over_https_except_on_this_machine(url, allowed):
    assert oidc.url_allowed(url) is allowed
