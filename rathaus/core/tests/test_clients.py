"""The client address for rate limits: REMOTE_ADDR, or behind the proxy the entry the proxy itself added."""

from django.test import RequestFactory

from rathaus.core.clients import client_ip


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.RATHAUS_BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert client_ip(request) == "192.0.2.1"


def test_behind_the_proxy_the_last_forwarded_entry_counts_not_what_the_client_claims(settings):
    settings.RATHAUS_BEHIND_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.9")
    assert client_ip(request) == "198.51.100.9"


def test_behind_the_proxy_without_the_header_the_peer_address_counts(settings):
    settings.RATHAUS_BEHIND_PROXY = True
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
