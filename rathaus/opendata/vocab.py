"""The controlled vocabularies of DCAT-AP.de: licences, EU data themes, update frequencies and file types.

Identifiers are the ones GovData's CKAN uses (licence ids as in the dcat-ap.de licence list, themes as the
lower-case codes of the EU data-theme table); each maps to the IRI the DCAT-AP.de catalogue must use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LICENCE_BASE = "http://dcat-ap.de/def/licenses/"
THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE_BASE = "http://www.iana.org/assignments/media-types/"
LANGUAGE_GERMAN = "http://publications.europa.eu/resource/authority/language/DEU"
MUNICIPALITY_KEY_BASE = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
GEOCODING_LEVEL_MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
CONTRIBUTOR_BASE = "http://dcat-ap.de/def/contributors/"

DEFAULT_LICENCE = "dl-by-de/2.0"


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    url: str  # where people read the licence text
    is_open: bool = True

    @property
    def iri(self) -> str:
        return LICENCE_BASE + self.id


# The licences of the dcat-ap.de list that open data portals use; ids are the list's paths.
LICENCES: dict[str, Licence] = {
    licence.id: licence
    for licence in (
        Licence(
            "dl-by-de/2.0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
        ),
        Licence(
            "dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0", "https://www.govdata.de/dl-de/zero-2-0"
        ),
        Licence(
            "cc-by/4.0",
            "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        Licence(
            "cc-by-sa/4.0",
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International (CC BY-SA 4.0)",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        Licence(
            "cc-zero",
            "Creative Commons CC Zero License (cc-zero)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        Licence(
            "odbl", "Open Data Commons Open Database License (ODbL)", "https://opendatacommons.org/licenses/odbl/1-0/"
        ),
        Licence(
            "officialWork",
            "Amtliches Werk, lizenzfrei nach §5 Abs. 1 UrhG",
            "https://www.gesetze-im-internet.de/urhg/__5.html",
        ),
    )
}


@dataclass(frozen=True)
class Theme:
    code: str  # upper-case code of the EU table, e.g. "ENVI"
    title: Promise

    @property
    def name(self) -> str:
        """The CKAN group name (GovData uses the lower-case codes)."""
        return self.code.lower()

    @property
    def iri(self) -> str:
        return THEME_BASE + self.code


THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        Theme("AGRI", _("Agriculture, fisheries, forestry and food")),
        Theme("ECON", _("Economy and finance")),
        Theme("EDUC", _("Education, culture and sport")),
        Theme("ENER", _("Energy")),
        Theme("ENVI", _("Environment")),
        Theme("GOVE", _("Government and public sector")),
        Theme("HEAL", _("Health")),
        Theme("INTR", _("International issues")),
        Theme("JUST", _("Justice, legal system and public safety")),
        Theme("REGI", _("Regions and cities")),
        Theme("SOCI", _("Population and society")),
        Theme("TECH", _("Science and technology")),
        Theme("TRAN", _("Transport")),
    )
}

# Update frequencies of the EU table (the ones a municipality uses), code -> label.
FREQUENCIES: dict[str, Promise] = {
    "CONT": _("continuously"),
    "DAILY": _("daily"),
    "WEEKLY": _("weekly"),
    "MONTHLY": _("monthly"),
    "QUARTERLY": _("quarterly"),
    "ANNUAL": _("every year"),
    "IRREG": _("irregularly"),
    "NEVER": _("never (finished)"),
    "UNKNOWN": _("unknown"),
}


@dataclass(frozen=True)
class Format:
    code: str  # what CKAN shows as `format`, e.g. "CSV"
    media_type: str
    extension: str
    file_type: str = ""  # code in the EU file-type table; empty where the table has none

    @property
    def file_type_iri(self) -> str:
        return FILE_TYPE_BASE + self.file_type if self.file_type else ""

    @property
    def media_type_iri(self) -> str:
        return MEDIA_TYPE_BASE + self.media_type


FORMATS: dict[str, Format] = {
    fmt.code: fmt
    for fmt in (
        Format("CSV", "text/csv", ".csv", "CSV"),
        Format("JSON", "application/json", ".json", "JSON"),
        Format("GeoJSON", "application/geo+json", ".geojson", "GEOJSON"),
        # The EU file-type table has no iCalendar entry: the catalogue names its media type instead.
        Format("ICS", "text/calendar", ".ics"),
        Format("PDF", "application/pdf", ".pdf", "PDF"),
        Format("HTML", "text/html", ".html", "HTML"),
        Format("XML", "application/xml", ".xml", "XML"),
        Format("ZIP", "application/zip", ".zip", "ZIP"),
        Format("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "XLSX"),
    )
}
# Formats staff may upload as files (checked by content); the others are links only.
UPLOAD_FORMATS = ("CSV", "JSON", "GeoJSON", "ICS", "PDF")


def format_for(code: str) -> Format | None:
    """The format by its code, ignoring case ("geojson", "GeoJSON")."""
    lowered = code.strip().lower()
    return next((fmt for fmt in FORMATS.values() if fmt.code.lower() == lowered), None)


def municipality_key_iri(official_key: str) -> str:
    return MUNICIPALITY_KEY_BASE + official_key
