"""No template holds user-facing text outside the translation machinery.

Every template of the project is read as text: translation blocks, template tags, variables,
comments, scripts, styles and HTML tags are blanked out (keeping line numbers), and any letter
left over is visible text that gettext never sees. Attributes that people read or hear (alt,
title, aria-label, placeholder...) must not hold literal text either, nor may literal strings
given to templates as human text (`|default:"..."`, `{% include ... with label="..." %}`).
Punctuation and symbols (·, ›, *, :, parentheses...) are fine.
"""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
REQUIRED_TEMPLATE_DIRS = [
    "site/templates",
    "wiki/templates",
    "repository/templates",
    "licensing/templates",
    "search/templates",
]
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}
EXCLUDED = {
    # Deliberately static and bilingual: Django renders the 500 page without a context (no
    # request, no active language, nothing that may fail again), so it carries French and
    # English in plain text.
    "site/templates/500.html",
    # Directives for crawlers, not text for people.
    "site/templates/robots.txt",
}

# Attributes whose values people read or hear.
HUMAN_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-placeholder",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "abbr",
    "summary",
}
# Names of formats and standards, written the same way in every language.
LANGUAGE_NEUTRAL = {"BibTeX", "CSL", "CSV", "JSON", "ORCID", "RIS", "SHA", "SPDX", "XML", "ZIP"}
LETTER = re.compile(r"[^\W\d_]")
LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

BLOCKTRANSLATE = re.compile(
    r"{%-?\s*blocktrans(?:late)?\b.*?%}.*?{%-?\s*endblocktrans(?:late)?\s*-?%}", re.DOTALL
)
COMMENT_BLOCK = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.DOTALL)
COMMENT = re.compile(r"{#.*?#}", re.DOTALL)
# Blocks that hold CSS classes, not text: {% block body_class %}meeting{% endblock %}.
CLASS_BLOCK = re.compile(r"{%\s*block\s+\w*class\w*\s*%}.*?{%\s*endblock\b.*?%}", re.DOTALL)
TEMPLATE_CONSTRUCT = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
HTML_TAG = re.compile(r"<[!/?]?[a-zA-Z][^>]*>")
ATTRIBUTE = re.compile(r"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
QUOTED = r"""(?:"([^"]*)"|'([^']*)')"""
# Literal text given to filters that display it: {{ x|default:"None yet" }}.
DISPLAY_FILTER = re.compile(r"\|\s*(?:default|default_if_none|yesno)\s*:\s*" + QUOTED)
# Literal text given as a human argument: {% include "x.html" with label="Search" %}.
HUMAN_KWARG = re.compile(
    r"\b(\w*(?:label|title|heading|text|alt|placeholder|caption|description|message|help|legend|summary|hint))"
    r"\s*=\s*" + QUOTED
)
FIRSTOF = re.compile(r"{%\s*firstof\b(.*?)%}", re.DOTALL)
LITERAL = re.compile(r"""(?<![\w)])""" + QUOTED)
# A literal wrapped in _() is translated: {% include ... with label=_("Search") %}.
TRANSLATED_LITERAL = re.compile(r"_\(\s*" + QUOTED + r"\s*\)")


def blank(text, pattern):
    """Replace each match with spaces, keeping the newlines so that line numbers stay right."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def quoted_value(match):
    """The text of a match that ends with QUOTED (double- or single-quoted)."""
    double, single = match.groups()[-2:]
    return double if double is not None else single


def scan(text):
    """Return (line, description) for every piece of text outside the translation machinery."""
    findings = []
    text = blank(text, COMMENT_BLOCK)
    text = blank(text, COMMENT)
    text = blank(text, BLOCKTRANSLATE)
    text = blank(text, CLASS_BLOCK)

    for construct in TEMPLATE_CONSTRUCT.finditer(text):
        body = blank(construct.group(0), TRANSLATED_LITERAL)
        literals = [(m, "filter argument") for m in DISPLAY_FILTER.finditer(body)]
        literals += [(m, f"{m.group(1)}=") for m in HUMAN_KWARG.finditer(body)]
        for firstof in FIRSTOF.finditer(body):
            literals += [(m, "firstof fallback") for m in LITERAL.finditer(firstof.group(1))]
        for match, where in literals:
            value = quoted_value(match)
            if LETTER.search(value):
                findings.append((line_of(text, construct.start()), f"literal {where} {value!r}"))
    text = blank(text, TEMPLATE_CONSTRUCT)
    text = blank(text, HTML_COMMENT)
    text = blank(text, SCRIPT_OR_STYLE)

    for tag in HTML_TAG.finditer(text):
        for attribute in ATTRIBUTE.finditer(tag.group(0)):
            name = attribute.group(1).lower()
            value = next((group for group in attribute.groups()[1:] if group is not None), "")
            human = name in HUMAN_ATTRIBUTES or (name == "content" and _is_description_meta(tag.group(0)))
            # The value of <input type="submit"> is its label; a <button>'s value is never shown.
            human = human or (name == "value" and _is_button_input(tag.group(0)))
            if human and LETTER.search(ENTITY.sub(" ", value)):
                line = line_of(text, tag.start() + attribute.start())
                findings.append((line, f"attribute {name}={value.strip()!r}"))
    text = blank(text, HTML_TAG)
    text = blank(text, ENTITY)

    for word in LETTERS.finditer(text):
        if set(word.group(0).split("-")) <= LANGUAGE_NEUTRAL:
            continue
        line = line_of(text, word.start())
        findings.append((line, f"text {word.group(0)!r}"))
    return _merge(findings)


DESCRIPTION_META = re.compile(
    r"""\b(?:name|property)\s*=\s*["']?(?:description|og:\w+|twitter:\w+)""", re.IGNORECASE
)
BUTTON_INPUT = re.compile(
    r"""^<input\b.*\btype\s*=\s*["']?(?:submit|button|reset)\b""", re.IGNORECASE | re.DOTALL
)


def _is_description_meta(tag):
    return DESCRIPTION_META.search(tag) is not None


def _is_button_input(tag):
    return BUTTON_INPUT.search(tag) is not None


def _merge(findings):
    """One finding per line, listing what was found on it."""
    by_line = {}
    for line, description in findings:
        by_line.setdefault(line, []).append(description)
    return [(line, ", ".join(descriptions)) for line, descriptions in sorted(by_line.items())]


def template_dirs():
    found = {path.relative_to(BASE_DIR).as_posix() for path in BASE_DIR.glob("*/templates") if path.is_dir()}
    found -= {"node_modules/templates", "tests/templates"}
    return sorted(found | {d for d in REQUIRED_TEMPLATE_DIRS if (BASE_DIR / d).is_dir()})


def templates():
    for directory in template_dirs():
        for path in sorted((BASE_DIR / directory).rglob("*")):
            if path.is_file() and path.suffix in TEMPLATE_SUFFIXES:
                yield path.relative_to(BASE_DIR).as_posix()


def test_every_project_app_with_templates_is_scanned():
    """New apps (notifications/, operations/, perf/...) are covered without editing this file."""
    from django.apps import apps

    scanned = set(template_dirs())
    for config in apps.get_app_configs():
        path = Path(config.path)
        if BASE_DIR not in path.parents or ".venv" in path.parts:
            continue
        templates_dir = path / "templates"
        if templates_dir.is_dir():
            assert templates_dir.relative_to(BASE_DIR).as_posix() in scanned, config.label


def test_the_project_template_directories_are_scanned():
    scanned = template_dirs()
    for directory in ("site/templates", "wiki/templates", "repository/templates"):
        assert directory in scanned
    assert any(name.endswith("base.html") for name in templates())
    for excluded in EXCLUDED:
        assert (BASE_DIR / excluded).exists(), f"{excluded} is gone: remove it from EXCLUDED"


def test_no_template_text_outside_translation_tags():
    problems = []
    for name in templates():
        if name in EXCLUDED:
            continue
        for line, description in scan((BASE_DIR / name).read_text(encoding="utf-8")):
            problems.append(f"{name}:{line}: {description}")
    header = "text outside {% translate %} / {% blocktranslate %} in templates:"
    assert not problems, "\n".join([header, *problems])


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{% load i18n %}<p>{% translate "Hello" %}</p>', []),
        ("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
        ("<p>{{ page.title }} · {{ page.owner }} › ({{ ext }}: {{ size }}) *</p>", []),
        ('<img src="{{ src }}" alt="">\n<img alt="{% translate \'Logo\' %}">', []),
        ("{# a comment #}<!-- an HTML comment -->{% comment %}Draft text{% endcomment %}", []),
        ('<script>const label = "Hello";</script><style>p::after { content: "x"; }</style>', []),
        ("<p>&nbsp;&middot;&#160;</p>", []),
        ('<a class="button primary" href="/fr/" hreflang="fr" lang="fr">{{ link }}</a>', []),
        ('{% include "x.html" with autocomplete="current-password" %}', []),
        ('{% include "x.html" with label=_("Search") %}', []),
        ("<p>\n  Hello world\n</p>", [2]),
        ('<p>{% translate "Hello" %} and more</p>', [1]),
        ('<button title="Close menu">×</button>', [1]),
        ('\n<input type="search" placeholder="Search…">', [2]),
        ('<input type="submit" value="Send">', [1]),
        ('<button type="submit" name="format" value="csv">{% translate "Export" %}</button>', []),
        ("{% block body_class %}meeting{% endblock %}", []),
        ("<abbr title=\"{% translate 'SHA-256 checksum' %}\">SHA-256</abbr> · BibTeX · CSL-JSON", []),
        ('<meta name="description" content="A platform">', [1]),
        ('{{ page.title|default:"Untitled" }}', [1]),
        ('{% include "x.html" with label="Search" %}', [1]),
        ('{% firstof page.seo_title "Home" %}', [1]),
    ],
)
def test_the_scanner_itself(template, expected):
    assert [line for line, _ in scan(template)] == expected
