"""Fixtures of the accounts tests: a real SMTP server, a real OpenID provider process, a clean rate-limit cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache

from rathaus.accounts.models import IdentityProvider
from rathaus.testing.peers import (  # noqa: F401 - re-exported for the accounts tests
    ACCOUNTS,
    CLIENT_SECRET,
    SECRET_ENV,
    TEST_REDIRECT_URI,
    Mailbox,
    OidcServer,
    free_port,
    identity_provider_for,
    smtp_server,
    start_oidc_server,
    stop_oidc_server,
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached provider metadata never leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend delivers to it."""
    yield from smtp_server(settings)


@pytest.fixture(scope="session")
def oidc_server() -> Iterator[OidcServer]:
    """oidc-provider (npm) as a separate node process on 127.0.0.1, for the Django test client's redirect URI."""
    server = start_oidc_server([TEST_REDIRECT_URI])
    yield server
    stop_oidc_server(server)


@pytest.fixture
def bundid(oidc_server, musterstadt, monkeypatch) -> IdentityProvider:
    """Musterstadt's identity provider: the test provider, with acr values named like the trust levels."""
    return identity_provider_for(oidc_server, musterstadt, monkeypatch)


@pytest.fixture
def client(client):
    """The test client in English: the German texts arrive with the lead's catalogue (see /tmp/i18n/accounts.py),
    so assertions on messages use the English msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
