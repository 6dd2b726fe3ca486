"""Dates and numbers follow Quebec French and Canadian English conventions."""

import datetime

from django.test import SimpleTestCase
from django.utils import formats, translation


class LocalFormatsTests(SimpleTestCase):
    date = datetime.date(2026, 11, 22)

    def test_french_date_reads_day_month_year(self):
        with translation.override("fr"):
            self.assertEqual(formats.date_format(self.date), "22 novembre 2026")

    def test_english_date_reads_month_day_year(self):
        with translation.override("en"):
            self.assertEqual(formats.date_format(self.date), "November 22, 2026")

    def test_french_time_uses_the_h_separator(self):
        with translation.override("fr"):
            self.assertEqual(formats.time_format(datetime.time(14, 30)), "14 h 30")

    def test_french_numbers_use_a_decimal_comma_and_a_space_for_thousands(self):
        with translation.override("fr"):
            self.assertEqual(
                formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True),
                "1\u202f234,5",  # narrow no-break space (config/formats/fr)
            )

    def test_english_numbers_use_a_decimal_point_and_a_comma_for_thousands(self):
        with translation.override("en"):
            self.assertEqual(
                formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True), "1,234.5"
            )
