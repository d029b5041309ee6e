"""Real peers for tests: an OpenID provider process (npm oidc-provider) and an SMTP server (aiosmtpd).

Shared by every app's tests (accounts, applications, journeys), so each test talks to the same real components.
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from aiosmtpd.controller import Controller
from django.conf import settings

from rathaus.accounts.models import IdentityProvider

SERVER_SCRIPT = Path(__file__).parent / "oidc_provider" / "server.mjs"
CLIENT_SECRET = "rathaus-test-secret-0123456789"
SECRET_ENV = "RATHAUS_TEST_OIDC_SECRET"
TEST_REDIRECT_URI = "http://testserver/konto/oidc/rueckkehr/"

ACCOUNTS = {
    "erika": {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "birthdate": "1964-08-12",
        "address": {"street_address": "Heidestraße 17", "postal_code": "51147", "locality": "Köln", "country": "DE"},
        "email": "erika.eid@example.org",
        "email_verified": True,
    },
    "max": {"given_name": "Max", "family_name": "Beispiel"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- SMTP ----------------------------------------------------------------------------------------------------


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in message["X-Envelope-To"]]

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    def links_in(self, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://\S+", self.text_of(message))

    def link_in(self, message: EmailMessage) -> str:
        body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        match = re.search(r"https?://\S+", body)
        assert match, body
        return match.group(0)


def smtp_server(settings) -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend delivers to it."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command otherwise
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    try:
        yield mailbox
    finally:
        controller.stop()


# --- OpenID provider -----------------------------------------------------------------------------------------


@dataclass
class OidcServer:
    issuer: str
    process: subprocess.Popen[bytes]

    def log_in(self, authorization_url: str, *, account: str, acr: str, redirect_uri: str) -> str:
        """Follow the provider's pages as a browser would, log in as `account` with `acr`; return the callback URL."""
        browser = requests.Session()
        url = authorization_url
        for _hop in range(12):
            if url.startswith(redirect_uri):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'action="/interaction/' in response.text:
                action = re.search(r'action="(/interaction/[^"]+/login)"', response.text)
                assert action, response.text
                response = browser.post(
                    urljoin(self.issuer, action.group(1)),
                    data={"login": account, "acr": acr},
                    allow_redirects=False,
                    timeout=10,
                )
            assert response.status_code in (302, 303), (response.status_code, response.text[:500])
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("the provider never sent the browser back")


def start_oidc_server(redirect_uris: list[str]) -> OidcServer:
    node = shutil.which("node") or "/usr/bin/node"
    if not (Path(settings.BASE_DIR) / "node_modules" / "oidc-provider").exists():
        pytest.fail("oidc-provider is missing: run `npm ci` (it is a devDependency in package.json).")
    port = free_port()
    process = subprocess.Popen(
        [node, str(SERVER_SCRIPT), str(port)],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
            "OIDC_CLIENT_ID": "rathaus",
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the OpenID provider exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return OidcServer(issuer=issuer, process=process)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the OpenID provider did not start within 15 seconds")


def stop_oidc_server(server: OidcServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.process.kill()
    if server.process.stderr:
        server.process.stderr.close()


def identity_provider_for(server: OidcServer, municipality, monkeypatch, **fields) -> IdentityProvider:
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    values = {
        "municipality": municipality,
        "slug": "bundid",
        "name": "BundID (Test)",
        "button_label": "Mit BundID anmelden",
        "issuer": server.issuer,
        "client_id": "rathaus",
        "client_secret_env": SECRET_ENV,
        "acr_mapping": {"niedrig": "niedrig", "substanziell": "substanziell", "hoch": "hoch"},
    } | fields
    provider = IdentityProvider(**values)
    provider.full_clean()
    provider.save()
    return provider
