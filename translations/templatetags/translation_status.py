"""Front-end link to the translation status, for people who may edit the page (coordinators).

Usage in a page template: ``{% load translation_status %}{% translation_status_link page %}``.
"""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("translations/includes/status_link.html", takes_context=True)
def translation_status_link(context, page):
    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or user is None or not user.is_authenticated:
        return {"url": ""}
    if not page.permissions_for_user(user).can_edit():
        return {"url": ""}
    return {"url": reverse("translations_admin:page_status", args=[page.pk])}
