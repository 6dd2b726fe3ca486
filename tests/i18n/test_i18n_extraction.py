"""The French catalogue is up to date with the strings marked in the code and the templates.

Django's makemessages runs on a temporary copy of the source tree, into a temporary locale
directory: it writes work files next to the templates it reads, and the committed catalogue
must stay untouched. The msgids it finds are then compared with locale/fr/LC_MESSAGES/django.po.

When this test fails, update the catalogues from the project root:

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py makemessages \
        -l fr -l en --no-location --ignore=.venv --ignore=node_modules --ignore=tests

and translate the new French entries.
"""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

BASE_DIR = Path(__file__).resolve().parents[2]
FRENCH_CATALOGUE = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# The same files as the documented makemessages command: it ignores .venv, node_modules and
# tests, and hidden directories by default. `locale` holds no source; `var` holds collected
# static files and uploads.
SKIPPED_DIRS = {".venv", "node_modules", "tests", "locale", "var", "__pycache__"}
# makemessages' extensions for the "django" domain.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


def copy_sources(destination):
    copied = 0
    for dirpath, dirnames, filenames in os.walk(BASE_DIR):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        relative = Path(dirpath).relative_to(BASE_DIR)
        for filename in filenames:
            if Path(filename).suffix in SOURCE_SUFFIXES and not filename.startswith("."):
                target = destination / relative / filename
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(dirpath) / filename, target)
                copied += 1
    return copied


def keys(po):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in po if not entry.obsolete}


def show(found):
    lines = []
    for msgctxt, msgid, msgid_plural in sorted(found, key=lambda k: (k[1], k[0] or "", k[2] or "")):
        text = repr(msgid)
        if msgid_plural:
            text += f" / plural {msgid_plural!r}"
        if msgctxt:
            text += f" (context {msgctxt!r})"
        lines.append("  " + text)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue makemessages would build now, from a copy of the sources."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext (the setup and test scripts do)")
    source = tmp_path_factory.mktemp("src")
    assert copy_sources(source) > 0
    previous = Path.cwd()
    os.chdir(source)
    try:
        with override_settings(LOCALE_PATHS=[str(source / "locale")]):
            call_command(
                "makemessages",
                locale=["fr"],
                no_location=True,
                ignore_patterns=[".venv", "node_modules", "tests"],
                verbosity=0,
            )
    finally:
        os.chdir(previous)
    return polib.pofile(str(source / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


def test_every_marked_string_is_in_the_french_catalogue(extracted):
    found = keys(extracted)
    assert len(found) > 50, "makemessages found almost nothing: is the copy of the sources complete?"
    catalogue = keys(polib.pofile(str(FRENCH_CATALOGUE)))
    missing = found - catalogue
    assert not missing, (
        "strings marked for translation but absent from locale/fr/LC_MESSAGES/django.po "
        "(run makemessages, see this module's doc, then translate them):\n" + show(missing)
    )


def test_the_french_catalogue_has_no_stale_entries(extracted):
    stale = keys(polib.pofile(str(FRENCH_CATALOGUE))) - keys(extracted)
    assert not stale, (
        "entries of locale/fr/LC_MESSAGES/django.po no longer used in the code or the templates "
        "(run makemessages, see this module's doc, and drop the obsolete #~ entries):\n" + show(stale)
    )
