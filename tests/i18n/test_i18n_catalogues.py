"""The message catalogues in locale/: French complete and correct, English consistent.

English is the source language of every interface string, so the English catalogue keeps its
msgstr empty (gettext then shows the msgid); it exists so that both languages go through the same
machinery. The French catalogue must translate every msgid, with no fuzzy entry, and follow
the glossary (../shared/GLOSSARY.md) and French typography.

To update both catalogues after changing strings, from the project root:

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py makemessages \
        -l fr -l en --no-location --ignore=.venv --ignore=node_modules --ignore=tests

then translate the new French entries and remove any "#, fuzzy" flag after checking them.
"""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CATALOGUES = {lang: BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("fr", "en")}
FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"

NBSP = "\u00a0"
NNBSP = "\u202f"
# A msgid that is a URL pattern given to path(): "account/login/", "repository/feed.atom",
# "repository/cite/<int:page_id>.<str:fmt>"... French slugs are lower-case ASCII too.
URL_PATTERN = re.compile(
    r"^(?:[a-z0-9_.-]|<[a-z_][a-z0-9_]*(?::[a-z_]+)?>)+/(?:[a-z0-9_./-]|<[a-z_][a-z0-9_]*(?::[a-z_]+)?>)*$"
)
URL_MSGSTR = re.compile(r"^(?:[a-z0-9_./-]|<[a-z_][a-z0-9_]*(?::[a-z_]+)?>)+$")
CONVERTER = re.compile(r"<[^>]+>")
FILE_EXTENSION = re.compile(r"\.[a-z0-9]+$")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdifr]|\{[a-z_][a-z0-9_]*\}")

# Words the glossary rules out in French, with the term to use instead.
FORBIDDEN_FRENCH = [
    (re.compile(r"\bcoordinat(?:eur|rice)s?\b", re.IGNORECASE), "coordonnateur, coordonnatrice"),
    (re.compile(r"\b(?:e-?)?mails?\b", re.IGNORECASE), "courriel"),
    (re.compile(r"\bcourrier électronique\b", re.IGNORECASE), "courriel"),
    (re.compile(r"\bCoP\b"), "CdP"),
    (re.compile(r"\blog(?:in|out)\b", re.IGNORECASE), "se connecter / se déconnecter"),
    (re.compile(r"\bfacilitat(?:eur|rice)s?\b", re.IGNORECASE), "animateur, animatrice"),
    (re.compile(r"\bleaders?\b", re.IGNORECASE), "responsable"),
    (re.compile(r"\bagenda\b", re.IGNORECASE), "ordre du jour"),
    (re.compile(r"\bdélivrables?\b", re.IGNORECASE), "livrable"),
    (re.compile(r"\bworkspaces?\b", re.IGNORECASE), "espace de travail"),
    (re.compile(r"\bdashboard\b", re.IGNORECASE), "tableau de bord"),
]


def load(lang):
    path = CATALOGUES[lang]
    assert path.exists(), f"{path.relative_to(BASE_DIR)} is missing: run makemessages (see this module's doc)"
    return polib.pofile(str(path))


def active(po):
    return [entry for entry in po if not entry.obsolete]


def describe(entry):
    context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
    return f"{entry.msgid!r}{context}"


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def french_strings(entry):
    if entry.msgid_plural:
        return [value for _, value in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def test_french_catalogue_translates_every_msgid():
    po = load("fr")
    problems = []
    if po.metadata_is_fuzzy:
        problems.append("the header is fuzzy: msgfmt would drop it and with it the plural forms")
    if po.metadata.get("Plural-Forms") != FRENCH_PLURAL_FORMS:
        problems.append(
            f"Plural-Forms should be {FRENCH_PLURAL_FORMS!r}, not {po.metadata.get('Plural-Forms')!r}"
        )
    for entry in active(po):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy (check it, then remove the flag): {describe(entry)}")
        elif entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != [0, 1] or not all(forms.values()):
                problems.append(f"plural forms not all translated: {describe(entry)}")
        elif not entry.msgstr:
            problems.append(f"no French translation: {describe(entry)}")
    assert not problems, "locale/fr/LC_MESSAGES/django.po:\n" + "\n".join(problems)


def test_english_catalogue_has_the_same_msgids_and_keeps_the_source_text():
    french, english = load("fr"), load("en")
    french_keys = {key(entry) for entry in active(french)}
    english_keys = {key(entry) for entry in active(english)}
    assert english_keys == french_keys, (
        "locale/en and locale/fr list different msgids: run makemessages for both languages.\n"
        f"Only in fr: {sorted(map(str, french_keys - english_keys))}\n"
        f"Only in en: {sorted(map(str, english_keys - french_keys))}"
    )
    problems = []
    for entry in active(english):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {describe(entry)}")
        # English is the source language: an empty msgstr shows the msgid; anything else would
        # replace the source text.
        if entry.msgid_plural:
            expected = [{"", entry.msgid}, {"", entry.msgid_plural}]
            values = [entry.msgstr_plural.get(0, ""), entry.msgstr_plural.get(1, "")]
            if any(value not in allowed for value, allowed in zip(values, expected, strict=True)):
                problems.append(f"plural msgstr differs from the English source: {describe(entry)}")
        elif entry.msgstr not in ("", entry.msgid):
            problems.append(f"msgstr differs from the English source: {describe(entry)}")
    assert not problems, "locale/en/LC_MESSAGES/django.po:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_catalogue_compiles_with_msgfmt_checks(lang, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing: install Debian's gettext (the setup and test scripts do)")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUES[lang])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_french_keeps_the_placeholders_of_the_source():
    problems = []
    for entry in active(load("fr")):
        # French has two forms: the first one for 0 and 1 (msgid), the second for more (msgid_plural).
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for source, value in zip(sources, french_strings(entry), strict=False):
            expected = sorted(set(PLACEHOLDER.findall(source)))
            if value and sorted(set(PLACEHOLDER.findall(value))) != expected:
                problems.append(f"{describe(entry)} -> {value!r}: expected placeholders {expected}")
    assert not problems, "\n".join(problems)


def test_french_urls_are_ascii_slugs_with_the_same_converters():
    problems = []
    url_entries = [entry for entry in active(load("fr")) if URL_PATTERN.match(entry.msgid)]
    assert url_entries, "no URL pattern found in the catalogue: did gettext_lazy leave wiki/urls.py?"
    for entry in url_entries:
        if not entry.msgstr:
            continue  # reported by test_french_catalogue_translates_every_msgid
        if not URL_MSGSTR.match(entry.msgstr):
            problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}: use lower-case ASCII slugs")
        if entry.msgid.endswith("/") != entry.msgstr.endswith("/"):
            problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}: keep the trailing slash as in the source")
        extension = FILE_EXTENSION.search(entry.msgid)
        if extension and not entry.msgstr.endswith(extension.group(0)):
            problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}: keep the {extension.group(0)} extension")
        if CONVERTER.findall(entry.msgstr) != CONVERTER.findall(entry.msgid):
            problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}: the <converters> must stay byte-identical")
    assert not problems, "\n".join(problems)


def test_french_follows_the_glossary():
    problems = []
    for entry in active(load("fr")):
        for value in french_strings(entry):
            text = PLACEHOLDER.sub(" ", value)  # %(email)s is a name, not a word
            for pattern, preferred in FORBIDDEN_FRENCH:
                found = pattern.search(text)
                if found:
                    problems.append(
                        f"{describe(entry)} -> {value!r}: {found.group(0)!r}, write {preferred!r}"
                    )
    assert not problems, "\n".join(problems)


def typography_problems(value):
    """French typography: a non-breaking space before ':' and inside « guillemets »."""
    problems = []
    without_converters = CONVERTER.sub(lambda match: "_" * len(match.group(0)), value)
    for match in re.finditer(":", without_converters):
        index = match.start()
        if without_converters.startswith("//", index + 1) or index == 0:
            continue  # "https://", or a string that starts with the colon
        if value[index - 1] not in (NBSP, NNBSP):
            problems.append(f"no non-breaking space before ':' at {index}")
    for match in re.finditer("«", value):
        if value[match.end() : match.end() + 1] not in (NBSP, NNBSP):
            problems.append("no non-breaking space after '«'")
    for match in re.finditer("»", value):
        if match.start() == 0 or value[match.start() - 1] not in (NBSP, NNBSP):
            problems.append("no non-breaking space before '»'")
    return problems


def test_french_typography():
    problems = []
    for entry in active(load("fr")):
        for value in french_strings(entry):
            problems.extend(
                f"{describe(entry)} -> {value!r}: {problem}" for problem in typography_problems(value)
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("value", "expected_problems"),
    [
        (f"Accès{NBSP}:", 0),
        ("Accès :", 1),
        ("Accès:", 1),
        ("traduction-manquante/<int:page_id>/", 0),
        ("https://example.org", 0),
        (f"par exemple «{NBSP}CdP A{NBSP}»", 0),
        ("par exemple « CdP A »", 2),
    ],
)
def test_typography_check_itself(value, expected_problems):
    assert len(typography_problems(value)) == expected_problems
