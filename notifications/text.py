"""Plain-text versions of rich text, for the text part of emails."""

import re
from html import unescape

from django.utils.html import strip_tags

BLOCK_END = re.compile(r"</(p|h[1-6]|li|tr|div|blockquote)>|<br\s*/?>", re.IGNORECASE)
LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def html_to_text(html):
    """Rich text as readable plain text: one line per paragraph or list item."""
    if not html:
        return ""
    text = LIST_ITEM.sub("- ", html)
    text = BLOCK_END.sub("\n", text)
    text = unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
