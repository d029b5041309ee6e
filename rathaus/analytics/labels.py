"""Names for people of the codes in events (payment methods, login methods, trust levels, channels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "method": {
        "card": _("Credit or debit card"),
        "paypal": _("PayPal"),
        "giropay": _("Online bank transfer (like giropay)"),
        "sepa": _("SEPA direct debit"),
        "invoice": _("Invoice or payment at the counter"),
    },
    "login_method": {
        "oidc": _("BundID or another identity provider (OpenID Connect)"),
        "password": _("E-mail and password"),
    },
    "trust_level": {
        "niedrig": _("low (niedrig)"),
        "substanziell": _("substantial (substanziell)"),
        "hoch": _("high (hoch)"),
    },
    "channel": {
        "online": _("Online application"),
        "counter": _("Appointment at the counter"),
    },
    "guest": {
        "true": _("Without an account"),
        "false": _("With an account"),
    },
}


def dimension_label(dimension: str, code: str) -> str:
    label = LABELS.get(dimension, {}).get(code)
    return str(label) if label is not None else code
