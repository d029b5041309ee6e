"""Forms of the login pages. They only validate; the views call services to do anything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


class KernForm(forms.Form):
    """Adds the KERN UX classes, autocomplete hints and ARIA error references to every input."""

    autocomplete: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "kern-form-input__input")
            if name in self.autocomplete:
                field.widget.attrs["autocomplete"] = self.autocomplete[name]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = "kern-form-input__input kern-form-input__input--error"
                attrs["aria-invalid"] = "true"
                described = [f"{self[name].auto_id}-error"]
                if self.fields[name].help_text:
                    described.append(f"{self[name].auto_id}_helptext")
                attrs["aria-describedby"] = " ".join(described)


class LoginForm(KernForm):
    autocomplete = {"email": "username", "password": "current-password"}
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=4096)


class RegistrationForm(KernForm):
    autocomplete = {"email": "email", "password": "new-password", "password_again": "new-password"}
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, help_text=_("We send you a link to confirm it.")
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=4096)
    password_again = forms.CharField(
        label=_("Repeat password"), strip=False, widget=forms.PasswordInput, max_length=4096
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ. Please enter the same password twice."))
        elif password:
            try:
                validate_password(password, user=User(email=data.get("email", "")))
            except ValidationError as error:
                self.add_error("password", error)
        return data

    @staticmethod
    def password_rules() -> list[str]:
        return [str(text) for text in password_validators_help_texts()]


class EmailForm(KernForm):
    autocomplete = {"email": "email"}
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class StaffLoginForm(KernForm):
    autocomplete = {"login_name": "username", "password": "current-password"}
    login_name = forms.CharField(label=_("User name or e-mail address"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=4096)


class CodeForm(KernForm):
    autocomplete = {"code": "one-time-code"}
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        help_text=_("The code your authenticator app shows now."),
        error_messages={"invalid": _("Please enter the 6 digits of the code.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(inputmode="numeric", pattern=r"[0-9 ]*")
