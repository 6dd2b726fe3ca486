"""Builtin template filters (TEMPLATES["OPTIONS"]["builtins"]): every template gets them.

``|date`` replaces Django's filter of the same name so that every date a template shows in
French writes the first of the month « 1er » (see dates.py); ``|number`` groups thousands
(« 12 345 », "12,345") where Django's USE_THOUSAND_SEPARATOR would also group ids in URLs;
``|language_in_text`` gives « français » / "French" for a sentence.
"""

from django import template
from django.template import defaultfilters

from . import dates

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, with « 1er » for the first day of a month in French."""
    if value in (None, ""):
        return ""
    return defaultfilters.date(value, dates.ordinal_format(arg, value))


@register.filter(is_safe=False)
def number(value, decimal_pos=None):
    """A number with the thousands grouped as the active language does."""
    try:
        return dates.number_format(value, decimal_pos)
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter(is_safe=False)
def language_in_text(code):
    return dates.language_in_text(code)
