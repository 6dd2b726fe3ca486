"""Dates, times and numbers follow Quebec French and Canadian English conventions.

The formats come from config/formats/<language>/formats.py (FORMAT_MODULE_PATH); the « 1er »
of the first day of a month, grouped numbers and language names inside sentences come from
config/formats/dates.py and its builtin template filters.
"""

from datetime import date, datetime, time

from django.template import Context, Template
from django.utils import formats, translation

from config.formats import dates

NNBSP = "\u202f"


def render(source, language, **context):
    with translation.override(language):
        return Template(source).render(Context(context))


def test_french_formats():
    with translation.override("fr"):
        assert formats.date_format(date(2026, 11, 22)) == "22 novembre 2026"
        assert formats.time_format(time(14, 30)) == "14 h 30"
        assert formats.time_format(time(9, 5)) == "9 h 05"
        assert (
            formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True)
            == f"1{NNBSP}234,5"
        )
        assert (
            formats.date_format(datetime(2026, 11, 22, 14, 30), "DATETIME_FORMAT")
            == "22 novembre 2026, 14 h 30"
        )
        assert formats.date_format(date(2026, 11, 22), "SHORT_DATE_FORMAT") == "2026-11-22"


def test_english_formats():
    with translation.override("en"):
        assert formats.date_format(date(2026, 11, 22)) == "November 22, 2026"
        assert formats.time_format(time(14, 30)) == "2:30 p.m."
        assert formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1,234.5"
        assert (
            formats.date_format(datetime(2026, 11, 22, 14, 30), "DATETIME_FORMAT")
            == "November 22, 2026, 2:30 p.m."
        )
        assert formats.date_format(date(2026, 11, 22), "SHORT_DATE_FORMAT") == "2026-11-22"


def test_the_first_of_the_month_is_1er_in_french():
    assert dates.date_format(date(2026, 6, 1), language="fr") == "1er juin 2026"


def test_other_days_have_no_ordinal_in_french():
    assert dates.date_format(date(2026, 6, 2), language="fr") == "2 juin 2026"


def test_the_first_of_the_month_has_no_ordinal_in_english():
    assert dates.date_format(date(2026, 6, 1), language="en") == "June 1, 2026"


def test_a_date_and_time_on_the_first_reads_1er_and_14_h_30():
    moment = datetime(2026, 6, 1, 14, 30)
    assert dates.date_format(moment, "DATETIME_FORMAT", language="fr") == "1er juin 2026, 14 h 30"
    assert dates.date_format(moment, "DATETIME_FORMAT", language="en") == "June 1, 2026, 2:30 p.m."


def test_an_escaped_j_in_a_custom_format_is_left_alone():
    assert dates.date_format(date(2026, 6, 1), r"\j j F", language="fr") == "j 1er juin"


def test_a_numeric_day_with_leading_zero_has_no_ordinal():
    assert dates.date_format(date(2026, 6, 1), "SHORT_DATE_FORMAT", language="fr") == "2026-06-01"


def test_the_date_filter_of_every_template_writes_1er_in_french():
    assert render("{{ day|date }}", "fr", day=date(2026, 6, 1)) == "1er juin 2026"
    assert render('{{ day|date:"DATE_FORMAT" }}', "fr", day=date(2026, 6, 1)) == "1er juin 2026"
    assert render('{{ day|date:"j F" }}', "fr", day=date(2026, 3, 1)) == "1er mars"


def test_the_date_filter_keeps_english_and_other_days_unchanged():
    assert render('{{ day|date:"DATE_FORMAT" }}', "en", day=date(2026, 6, 1)) == "June 1, 2026"
    assert render('{{ day|date:"DATE_FORMAT" }}', "fr", day=date(2026, 6, 21)) == "21 juin 2026"
    assert render("{{ day|date:'c' }}", "fr", day=date(2026, 6, 1)) == "2026-06-01"


def test_the_number_filter_groups_thousands_as_each_language_does():
    assert render("{{ n|number }}", "fr", n=1234567) == f"1{NNBSP}234{NNBSP}567"
    assert render("{{ n|number }}", "en", n=1234567) == "1,234,567"
    assert render("{{ n|number:1 }}", "fr", n=1234.56) == f"1{NNBSP}234,6"


def test_language_names_are_lower_case_inside_a_french_sentence():
    assert render("{{ 'fr'|language_in_text }} {{ 'en'|language_in_text }}", "fr") == "français anglais"


def test_language_names_are_capitalised_inside_an_english_sentence():
    assert render("{{ 'fr'|language_in_text }} {{ 'en'|language_in_text }}", "en") == "French English"
