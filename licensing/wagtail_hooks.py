"""Admin integration: snippets, the integrity clause in the page editor, the acceptance report,
the memorandum panel offered to workspaces (hook ``cop_workspace_panels``) and the demo step."""

from django.contrib import messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .integrity import approval_applies
from .models import Agreement, Licence, PartnerOrganisation

register_snippet(PartnerOrganisation)
register_snippet(Agreement)
register_snippet(Licence)


@hooks.register("cop_load_demo")
def load_demo(context):
    from . import demo

    demo.load(context)


# After the other apps' steps (the repository's creates the deliverables).
@hooks.register("cop_load_demo", order=100)
def load_demo_licences(context):
    from . import demo

    demo.assign_memorandum_licence(context)


# Integrity clause ------------------------------------------------------------------------------


def _posted_licence_applies(request, page_class, page=None):
    """Would the page, with the licence chosen in the submitted form, need the committee?"""
    licence_id = request.POST.get("licence")
    if page is not None and approval_applies(page):
        return True
    if not licence_id or not hasattr(page_class, "licence"):
        return False
    licence = Licence.objects.filter(pk=licence_id).select_related("agreement").first()
    probe = page_class(licence=licence)
    return approval_applies(probe)


def _submit_instead_of_publishing(request):
    """Turn "Publish" into "Submit for approval": the edits are saved, the committee decides."""
    post = request.POST.copy()
    del post["action-publish"]
    post["action-submit"] = "1"
    request.POST = post
    messages.warning(
        request,
        _(
            "This deliverable is under the memorandum: it will be published once the Steering "
            "Committee approves it. Your changes were submitted for approval."
        ),
    )


@hooks.register("before_edit_page")
def no_direct_publish_under_the_clause(request, page):
    posted_publish = request.method == "POST" and "action-publish" in request.POST
    if posted_publish and _posted_licence_applies(request, page.specific_class, page.specific):
        _submit_instead_of_publishing(request)


@hooks.register("before_create_page")
def no_direct_publish_of_new_pages_under_the_clause(request, parent_page, page_class):
    posted_publish = request.method == "POST" and "action-publish" in request.POST
    if posted_publish and _posted_licence_applies(request, page_class):
        _submit_instead_of_publishing(request)


@hooks.register("construct_page_action_menu")
def hide_publish_under_the_clause(menu_items, request, context):
    page = context.get("page")
    if page is not None and page.pk and approval_applies(page.specific):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


# Acceptance report -----------------------------------------------------------------------------


class AcceptanceMenuItem(MenuItem):
    def is_shown(self, request):
        from .views import can_see_acceptances

        return can_see_acceptances(request.user)


@hooks.register("register_admin_menu_item")
def acceptance_report_menu_item():
    return AcceptanceMenuItem(
        gettext_lazy("Licence acceptances"), reverse("licensing:acceptances"), icon_name="doc-full", order=900
    )


# Workspaces ------------------------------------------------------------------------------------


@hooks.register("cop_workspace_panels")
def memorandum_panel(request, workspace):
    """HTML summarising the memoranda and their amendments, for a workspace's page (members only)."""
    if not request.user.is_authenticated:
        return ""
    from django.utils.translation import get_language

    language = (get_language() or "fr")[:2]
    agreements = Agreement.objects.filter(locale__language_code=language).prefetch_related("amendments")
    items = [
        {"agreement": a, "amendments": sorted(a.amendments.all(), key=lambda x: x.date)} for a in agreements
    ]
    return render_to_string("licensing/includes/workspace_panel.html", {"agreements": items}, request=request)
