from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from . import admin_urls
from .models import TagLabel

register_snippet(TagLabel)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("translation-status/", include(admin_urls, namespace="translations_admin"))]


class PageActionButton(ListingButton):
    # Shown in the "More actions" menu of the page header, like Wagtail's own page actions.
    allow_in_dropdown = True


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"), reverse("translations_admin:index"), icon_name="globe", order=900
    )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name=None, next_url=None):
    if not page.permissions_for_user(user).can_edit():
        return
    yield PageActionButton(
        _("Translation status"),
        reverse("translations_admin:page_status", args=[page.pk]),
        icon_name="globe",
        priority=60,
    )
    yield PageActionButton(
        _("Mark as needing translation"),
        reverse("translations_admin:request_page", args=[page.pk]),
        icon_name="flag",
        priority=61,
    )


@hooks.register("cop_editor_actions")
def front_end_status_link(request, page):
    """ "Translation status" next to "Edit this page" on the site, for people who may edit it."""
    from .templatetags.translation_status import status_link_context

    context = status_link_context(request, page)
    if not context["url"]:
        return ""
    return render_to_string("translations/includes/status_link.html", context, request=request)


@hooks.register("cop_load_demo")
def load_demo(context):
    from .demo import load

    load(context)
