"""Front-end links to the translation status, for people who may edit the page (coordinators).

Placed next to "Edit this page" by the ``cop_editor_actions`` hook (see wagtail_hooks.py);
also usable directly: ``{% load translation_status %}{% translation_status_link page %}``.
"""

from django import template
from django.urls import reverse

register = template.Library()


def status_link_context(request, page):
    """The status and "needs translation" URLs of `page`, or empty ones for other readers."""
    user = getattr(request, "user", None)
    empty = {"url": "", "request_url": ""}
    if page is None or user is None or not user.is_authenticated:
        return empty
    if not page.permissions_for_user(user).can_edit():
        return empty
    return {
        "url": reverse("translations_admin:page_status", args=[page.pk]),
        "request_url": reverse("translations_admin:request_page", args=[page.pk]),
    }


@register.inclusion_tag("translations/includes/status_link.html", takes_context=True)
def translation_status_link(context, page):
    return status_link_context(context.get("request"), page)
