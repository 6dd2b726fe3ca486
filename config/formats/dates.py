"""Dates, times, numbers and language names as Quebec French and Canadian English write them.

The format modules next to this file (fr/, en/) give Django's named formats; what they cannot
say lives here:

- French writes the first day of a month as an ordinal: « 1er juin 2026 », « le 1er mars »
  (OQLF), never « 1 juin ». `date_format` adds the « er » whenever the day is 1 and the format
  shows the day without a leading zero (``j``).
- Language names are capitalised in English ("in French") but not in French running text
  (« en français », « en anglais »): `language_in_text` gives the name to put in a sentence;
  settings.LANGUAGES keeps the capitalised names for labels (the language switcher, lists).

Use these helpers wherever Python code formats a date for people (emails, iCal descriptions,
PDF cover pages, digests) instead of ``strftime``; templates get the same through the
builtin filters of config/formats/templatetags.py (``|date`` itself, ``|number``,
``|language_in_text``).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation
from django.utils.translation import pgettext_lazy

# Names to use inside a sentence ("only in French" / « seulement en français »).
RUNNING_TEXT_NAMES = {
    "fr": pgettext_lazy("language name inside a sentence, as in 'in French'", "French"),
    "en": pgettext_lazy("language name inside a sentence, as in 'in English'", "English"),
}


def _is_french(language=None):
    return (language or translation.get_language() or "").split("-")[0] == "fr"


def ordinal_format(format_string, value, language=None):
    """`format_string` (a format or the name of one) with « er » after a day 1 in French."""
    if getattr(value, "day", None) != 1 or not _is_french(language):
        return format_string
    resolved = formats.get_format(format_string or "DATE_FORMAT", lang=language)
    out, escaped = [], False
    for char in resolved:
        out.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append("\\e\\r")
    return "".join(out)


def date_format(value, format_string="DATE_FORMAT", language=None):
    """`value` formatted in `language` (default: the active one), « 1er » included."""
    if value in (None, ""):
        return ""
    with translation.override(language or translation.get_language()):
        return formats.date_format(value, ordinal_format(format_string, value, language))


def datetime_format(value, format_string="DATETIME_FORMAT", language=None):
    """A date and time, in local time: « 1er juin 2026, 14 h 30 », "June 1, 2026, 2:30 p.m."."""
    from django.utils import timezone

    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, format_string, language)


def time_format(value, language=None):
    """« 14 h 30 » / "2:30 p.m."."""
    if value in (None, ""):
        return ""
    with translation.override(language or translation.get_language()):
        return formats.time_format(value)


def number_format(value, decimal_pos=None, language=None):
    """« 12 345,6 » (narrow no-break space, decimal comma) / "12,345.6", always grouped."""
    if value in (None, ""):
        return ""
    if decimal_pos is not None:
        # Django's number_format cuts the extra digits off; people round them.
        decimal_pos = int(decimal_pos)
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    with translation.override(language or translation.get_language()):
        return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


def language_in_text(code, language=None):
    """The name of language `code` as written inside a sentence of the active language."""
    name = RUNNING_TEXT_NAMES.get((code or "").split("-")[0])
    if name is None:
        return code or ""
    with translation.override(language or translation.get_language()):
        return str(name)
