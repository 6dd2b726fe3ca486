"""The watch button and the link to "My notifications", shown on workspace pages.

`base.html` calls `{% notification_actions page %}`; it renders nothing for other pages and for
visitors who are not signed in, and makes no query on served pages (the page view already read the state).
"""

from django import template

from wiki.models import WorkspacePage

from ..models import PageReader
from ..wagtail_hooks import READ_TRACKED

register = template.Library()


@register.inclusion_tag("notifications/includes/page_actions.html", takes_context=True)
def notification_actions(context, page):
    request = context.get("request")
    user = getattr(request, "user", None)
    if page is None or user is None or not user.is_authenticated or not isinstance(page, READ_TRACKED):
        return {"show": False}
    is_workspace = isinstance(page, WorkspacePage)
    watching = getattr(request, "cop_watching", None)
    if watching is None and not is_workspace:
        # Views other than Wagtail's page serving (history, calendar) did not read it yet.
        watching = PageReader.objects.filter(user=user, page_key=page.translation_key, watching=True).exists()
    return {
        "show": True,
        "page": page,
        "is_workspace": is_workspace,
        "watching": watching,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
