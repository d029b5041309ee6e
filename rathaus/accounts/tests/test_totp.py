"""TOTP as RFC 6238 defines it; checked against the RFC's own test vectors (SHA-1)."""

import base64

import pytest

from rathaus.accounts import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_test_vectors(at, code):
    assert totp.hotp(base64.b32decode(RFC_SECRET), totp.time_step(at), digits=8) == code


def test_a_code_matches_in_its_step_and_one_step_of_drift():
    secret = totp.secret_new()
    now = 1_700_000_000
    code = totp.totp_code(secret, at=now)
    assert totp.totp_match(secret, code, at=now) == totp.time_step(now)
    assert totp.totp_match(secret, code, at=now + 30) == totp.time_step(now)
    assert totp.totp_match(secret, code, at=now + 90) is None
    assert totp.totp_match(secret, "12345", at=now) is None
    assert totp.totp_match(secret, "abcdef", at=now) is None


def test_a_used_code_cannot_be_used_again():
    secret = totp.secret_new()
    now = 1_700_000_000
    step = totp.totp_match(secret, totp.totp_code(secret, at=now), at=now)
    assert totp.totp_match(secret, totp.totp_code(secret, at=now), at=now, after_step=step) is None


def test_the_provisioning_uri_is_what_authenticator_apps_read():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="max", issuer="Rathaus Musterstadt")
    assert uri.startswith(
        "otpauth://totp/Rathaus%20Musterstadt%3Amax?secret=JBSWY3DPEHPK3PXP&issuer=Rathaus+Musterstadt"
    )
    assert "digits=6" in uri and "period=30" in uri
