# Quebec French conventions (OQLF): "22 novembre 2026", "1er juin 2026" (config/formats/dates.py),
# "14 h 30", "1 234,5" with a narrow no-break space between the groups of digits.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "G \\h i"
DATETIME_FORMAT = "j F Y, G \\h i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d G \\h i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 0
