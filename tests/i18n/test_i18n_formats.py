"""Dates, times and numbers follow Quebec French and Canadian English conventions.

The formats come from config/formats/<language>/formats.py (FORMAT_MODULE_PATH).
"""

from datetime import date, datetime, time

from django.utils import formats, translation

NBSP = "\u00a0"


def test_french_formats():
    with translation.override("fr"):
        assert formats.date_format(date(2026, 11, 22)) == "22 novembre 2026"
        assert formats.time_format(time(14, 30)) == "14 h 30"
        assert formats.time_format(time(9, 5)) == "9 h 05"
        assert (
            formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True)
            == f"1{NBSP}234,5"
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
