"""Time-based one-time passwords (RFC 6238, HMAC-SHA1, 30-second steps) as authenticator apps use them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

from rathaus.core.text import ascii_digits

STEP_SECONDS = 30
DIGITS = 6


def secret_new() -> str:
    """A random 160-bit secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _secret_bytes(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: HMAC-SHA1 over the counter, dynamically truncated to `digits` decimal digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp_code(secret: str, *, at: float | None = None) -> str:
    return hotp(_secret_bytes(secret), time_step(at))


def totp_match(secret: str, code: str, *, at: float | None = None, after_step: int = 0, window: int = 1) -> int | None:
    """The time step `code` belongs to (allowing `window` steps of clock drift), or None.

    Steps up to `after_step` are refused, so a code that was used once cannot be used again.
    """
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not ascii_digits(code):
        return None
    key = _secret_bytes(secret)
    now = time_step(at)
    for step in range(now - window, now + window + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI authenticator apps read from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
