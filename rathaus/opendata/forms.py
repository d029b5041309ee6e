"""Back-office forms for datasets and resources (server-side checks; the services check again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import vocab
from .models import Organization

TEXT = {"class": "kern-form-input__input"}
# <input type="date"> takes only ISO dates; a localised value ("01.05.2026") shows as empty and is saved as empty.
DATE = forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    name = forms.RegexField(
        label=_("Name in addresses"),
        regex=r"^[a-z0-9_-]{2,100}$",
        required=False,
        max_length=100,
        help_text=_("Lower-case letters, digits and hyphens, e.g. spielplaetze. Empty: made from the title."),
        error_messages={"invalid": _("Use lower-case letters (no umlauts), digits, hyphens and underscores.")},
        widget=forms.TextInput(attrs=TEXT),
    )
    notes = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"class": "kern-form-input__input", "rows": 6}),
    )
    organization = forms.ModelChoiceField(
        label=_("Published by"),
        queryset=Organization.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, theme.title) for name, theme in vocab.THEMES.items()],
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. Spielplatz, Freizeit"),
        widget=forms.TextInput(attrs=TEXT),
    )
    license_id = forms.ChoiceField(
        label=_("Licence"),
        choices=[(key, licence.title) for key, licence in vocab.LICENCES.items()],
        initial=vocab.DEFAULT_LICENCE,
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    contact_name = forms.CharField(
        label=_("Contact point"),
        max_length=200,
        help_text=_("A department or role rather than a person, e.g. Bauamt"),
        widget=forms.TextInput(attrs=TEXT),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), widget=forms.EmailInput(attrs=TEXT))
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    frequency = forms.ChoiceField(
        label=_("Update frequency"),
        choices=list(vocab.FREQUENCIES.items()),
        initial="IRREG",
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    temporal_start = forms.DateField(label=_("Covers the time from"), required=False, widget=DATE)
    temporal_end = forms.DateField(label=_("Covers the time until"), required=False, widget=DATE)
    published = forms.BooleanField(
        label=_("Published (visible in the portal, the CKAN API and the catalogue)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "kern-form-check__checkbox"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organizations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and start > end:
            self.add_error("temporal_end", _("The end lies before the start."))
        return data


class ResourceFileForm(forms.Form):
    file_name = forms.CharField(label=_("Name"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT))
    file_description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(code, code) for code in vocab.UPLOAD_FORMATS],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"class": "kern-form-input__input"}))


class ResourceLinkForm(forms.Form):
    link_name = forms.CharField(label=_("Name"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    link_description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    link_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(code, code) for code in vocab.FORMATS],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )
    link_url = forms.URLField(
        label=_("Address (https://…)"), max_length=1000, assume_scheme="https", widget=forms.URLInput(attrs=TEXT)
    )
