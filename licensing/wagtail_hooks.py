"""Admin integration: snippets, the integrity clause in the page editor, the acceptance report,
the memorandum panel offered to workspaces (hook ``cop_workspace_panels``) and the demo step."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from .integrity import approval_applies
from .models import Agreement, Licence, PartnerOrganisation

register_snippet(PartnerOrganisation)
register_snippet(Agreement)
register_snippet(Licence)


# Loading the demo is a system step, not an editor's change: its publications (also those of the
# other apps' steps, e.g. the repository's when it runs again) pass the integrity clause's guard.
@hooks.register("cop_load_demo", order=-1000)
def demo_publishes_with_authority(context):
    from .integrity import grant_authority

    context["licensing_authority"] = grant_authority()


@hooks.register("cop_load_demo", order=1000)
def demo_authority_ends(context):
    from .integrity import revoke_authority

    token = context.pop("licensing_authority", None)
    if token is not None:
        revoke_authority(token)


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


def _localize_translation(page):
    """The wagtail-localize translation whose target is `page`, when its editor is
    wagtail-localize's translation editor (it then replaces Wagtail's page editor)."""
    from wagtail_localize.models import Translation

    return Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()


# Before wagtail-localize's own hook, which answers the request with its translation editor.
@hooks.register("before_edit_page", order=-10)
def translations_under_the_clause_go_to_the_committee(request, page):
    """ "Publish" in wagtail-localize's translation editor would publish the translation at once,
    which the guard refuses (a 403): under the clause the translation is saved as a draft and
    submitted for approval instead, as "Publish" does in Wagtail's page editor."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    specific = page.specific
    translation = _localize_translation(page)
    if translation is None or not approval_applies(specific):
        return None
    if not specific.permissions_for_user(request.user).can_publish():
        return None  # wagtail-localize refuses it as usual
    from django.core.exceptions import ValidationError
    from wagtail.models import WorkflowState

    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    try:
        translation.save_target(user=request.user, publish=False)
    except ValidationError:
        messages.error(
            request, _("The translation could not be saved: fix the errors shown, then try again.")
        )
        return redirect(edit_url)
    specific = type(specific).objects.get(pk=page.pk)
    state = specific.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(request.user)
    else:
        if state is not None:  # the committee is to see this newest version
            state.cancel(user=request.user)
        specific.get_workflow().start(specific, request.user)
    messages.warning(
        request,
        _(
            "This translation is under the memorandum: it will be published once the Steering "
            "Committee approves it. It was submitted for approval."
        ),
    )
    return redirect(edit_url)


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


def _under_the_clause(pages, with_descendants=False):
    """The pages among `pages` (and their unpublished descendants) that the clause holds and
    that have something unpublished."""
    from .views import licensed_page_models

    held = []
    for page in pages:
        specific = page.specific
        if (not specific.live or specific.has_unpublished_changes) and approval_applies(specific):
            held.append(specific)
        if with_descendants:
            for model in licensed_page_models():
                for descendant in model.objects.descendant_of(page).not_live():
                    if approval_applies(descendant):
                        held.append(descendant)
    return held


@hooks.register("before_bulk_action")
def no_bulk_publish_under_the_clause(request, action_type, objects, action_class_instance):
    """Bulk "Publish" in the explorer: refuse the whole batch (nothing published, nothing lost)
    when a page in it would publish a change the Steering Committee has not approved."""
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    with_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    held = _under_the_clause(objects, with_descendants)
    if not held:
        return None
    messages.error(
        request,
        _(
            "Nothing was published: %(titles)s must be approved by the Steering Committee first. "
            "Submit each one for approval from its editor."
        )
        % {"titles": ", ".join(_("“%(title)s”") % {"title": page.title} for page in held)},
    )
    return redirect(action_class_instance.next_url)


@hooks.register("before_copy_page")
def copies_under_the_clause_stay_drafts(request, page):
    """A copy is a new deliverable: under the clause it starts as a draft for the committee."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    from .views import licensed_page_models

    held = approval_applies(page.specific)
    if not held and request.POST.get("copy_subpages"):
        held = any(
            approval_applies(descendant)
            for model in licensed_page_models()
            for descendant in model.objects.descendant_of(page)
        )
    if held:
        post = request.POST.copy()
        del post["publish_copies"]
        request.POST = post
        messages.warning(
            request,
            _(
                "This page is under the memorandum: its copy is kept as a draft until the Steering "
                "Committee approves it."
            ),
        )
    return None


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
