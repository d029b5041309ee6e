from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Payment
from .providers.sandbox import SandboxProvider

ACTIONS = {"pay": "succeeded", "fail": "failed", "cancel": "cancelled"}


class SandboxPaymentForm(forms.Form):
    """What the citizen does on the sandbox payment page."""

    t = forms.CharField(widget=forms.HiddenInput, max_length=200)
    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    method = forms.ChoiceField(
        label=_("How do you want to pay?"),
        choices=[(code, Payment.Method(code).label) for code in SandboxProvider.methods],
        required=False,
    )
    close_browser = forms.BooleanField(label=_("Close the browser after paying"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("action") in ("pay", "fail") and not cleaned.get("method"):
            self.add_error("method", _("Please choose how you want to pay."))
        return cleaned

    @property
    def outcome(self) -> str:
        return ACTIONS[self.cleaned_data["action"]]
