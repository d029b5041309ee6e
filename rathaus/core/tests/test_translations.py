"""German is complete: every text of the interface has a German translation, and the compiled catalogue is current."""

from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])


def test_every_message_has_a_german_translation():
    catalogue = polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert catalogue.percent_translated() == 100


def test_the_compiled_catalogue_matches_the_source():
    source = polib.pofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "de" / "LC_MESSAGES" / "django.mo"))
    translated = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in source.translated_entries()}
    shipped = {(e.msgid, e.msgstr or e.msgstr_plural.get(0)) for e in compiled if e.msgid}
    assert translated == shipped, "run `make messages` after editing django.po"
