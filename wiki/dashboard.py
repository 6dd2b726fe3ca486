"""What the home page shows: a welcome for visitors, a dashboard for members."""

from wagtail.models import Page

from . import access
from .models import WorkspacePage


def home_context(request, home):
    user = request.user
    if not user.is_authenticated:
        return {}
    keys = access.member_workspace_keys(user)
    workspaces = list(
        access.viewable_pages(
            user,
            WorkspacePage.objects.filter(translation_key__in=keys, locale=home.locale),
        ).order_by("title")
    )
    recent = Page.objects.none()
    if workspaces:
        within = Page.objects.none()
        for workspace in workspaces:
            within |= Page.objects.descendant_of(workspace)
        recent = (
            access.viewable_pages(user, within)
            .select_related("latest_revision__user")
            .order_by("-last_published_at")[:10]
        )
    return {"my_workspaces": workspaces, "recent_changes": recent}
