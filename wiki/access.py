"""The one access rule: who may read which page, document and image.

Every read path (page serving, documents, listings, search, feeds, sitemaps, the API, exports)
asks this module; no other module decides visibility. Memberships are the truth and are
materialised by `sync_workspace` as Wagtail groups, page permissions and view restrictions, so
Wagtail's own serving and admin enforce the same rule.

Rules:

- A page is readable when it is live, no page above it (below the tree's root) is unpublished,
  and the reader passes every view restriction on it and its ancestors (login: any signed-in
  person; groups: a member of one of the groups; shared passwords are switched off and never
  pass).
- Visitors who are not signed in additionally see only page types that declare
  `anonymous_readable`: the platform is private by default.
- Superusers read every page that is live and in no unpublished section.
"""

import contextlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Length, Substr
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
    get_page_models,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

# Participants (and facilitators, who run meetings but do not moderate) write and edit; the
# roles that manage a workspace (leader, coordinator, moderator) also publish, lock, move and
# delete. Everyone who edits is still warned of concurrent edits: that notice is Wagtail's
# editing sessions, which need no permission beyond "change".
MEMBER_PAGE_PERMISSIONS = ["add_page", "change_page"]
MANAGER_PAGE_PERMISSIONS = [
    *MEMBER_PAGE_PERMISSIONS,
    "publish_page",
    "lock_page",
    "unlock_page",
    "delete_page",
    "bulk_delete_page",
]
MEMBER_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def _is_signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


# Memoisation. The answers below are kept on the objects they are about (the user object,
# which Django builds afresh for each request, and the page instance), so they last one
# request; `_changed()` — called by every function here that changes groups or restrictions —
# makes them stale at once within that request too.
_generation = 0


def _changed():
    global _generation
    _generation += 1


def _content_changed(sender, **kwargs):
    _changed()


# Publishing, unpublishing, moving pages and changing restrictions (in Wagtail's admin too) make
# the answers memoised for this request stale, like the changes made through this module.
page_published.connect(_content_changed, dispatch_uid="cop_access_page_published")
page_unpublished.connect(_content_changed, dispatch_uid="cop_access_page_unpublished")
post_page_move.connect(_content_changed, dispatch_uid="cop_access_page_moved")
for _signal in (post_save, post_delete):
    _signal.connect(_content_changed, sender=PageViewRestriction, dispatch_uid=f"cop_access_{_signal}")
    # Accepting or revoking a guest invitation changes what the guest reads at once.
    _signal.connect(_content_changed, sender="wiki.Invitation", dispatch_uid=f"cop_access_guest_{_signal}")
m2m_changed.connect(
    _content_changed, sender=PageViewRestriction.groups.through, dispatch_uid="cop_access_groups"
)


def _memo(obj, name):
    """A dict kept on `obj` for this generation of the rule (a new one after `_changed`)."""
    memo = getattr(obj, name, None)
    if memo is None or memo[0] != _generation:
        memo = (_generation, {})
        with contextlib.suppress(AttributeError):  # None, or no attributes: no memo
            setattr(obj, name, memo)
    return memo[1]


def _group_ids(user):
    """The reader's group ids, cached on the user object for the length of the request.

    The groups themselves are kept as if prefetched, so that Wagtail's own check of the same
    restrictions (`user.groups.all()`) does not ask the database again.
    """
    if not _is_signed_in(user):
        return set()
    memo = _memo(user, "_cop_access_memo")
    if "groups" not in memo:
        from django.db.models import prefetch_related_objects

        target = getattr(user, "_wrapped", user)
        if hasattr(target, "_prefetched_objects_cache"):
            target._prefetched_objects_cache.pop("groups", None)
        prefetch_related_objects([target], "groups")
        memo["groups"] = {group.id for group in target.groups.all()}
    return memo["groups"]


def _install_groups(user, groups):
    """Put `groups` on the user object as if prefetched (Wagtail's check reads them too)."""
    from django.db.models.query import QuerySet

    target = getattr(user, "_wrapped", user)
    queryset = target.groups.all()
    if isinstance(queryset, QuerySet):
        queryset._result_cache = list(groups)
        queryset._prefetch_done = True
        if not hasattr(target, "_prefetched_objects_cache"):
            target._prefetched_objects_cache = {}
        target._prefetched_objects_cache["groups"] = queryset


def reader_facts(user):
    """What this request learnt about the reader that later requests may reuse: their groups,
    current memberships and the paths closed to them (`closed_paths`: the restricted pages
    whose restriction they fail and the unpublished sections, data about the reader and the
    tree, never a decision about a page: every page still checks itself against it). The
    caller keeps it per reader and content generation (perf.readers), which every group,
    membership or access change renews."""
    if not _is_signed_in(user):
        return {}
    memo = _memo(user, "_cop_access_memo")
    facts = {}
    if "groups" in memo:
        target = getattr(user, "_wrapped", user)
        facts["groups"] = list(target.groups.all())
    if "memberships" in memo:
        facts["memberships"] = list(memo["memberships"])
    if "reader_paths" in memo:
        facts["paths"] = memo["reader_paths"]
    return facts


def remember_reader(user, facts):
    """Start this request's memo with `facts` from `reader_facts` (same reader, same generation)."""
    if not _is_signed_in(user) or not facts:
        return
    memo = _memo(user, "_cop_access_memo")
    if "groups" in facts:
        _install_groups(user, facts["groups"])
        memo["groups"] = {group.id for group in facts["groups"]}
    if "memberships" in facts:
        memo["memberships"] = list(facts["memberships"])
    if "paths" in facts:
        memo["reader_paths"] = facts["paths"]


def remember_view_restrictions(page, restrictions):
    """Start the page's memo with its restrictions as `view_restrictions` returned them (kept
    per page and content generation by the caller: every restriction change renews it)."""
    _memo(page, "_cop_access_memo")["restrictions"] = restrictions


def view_restrictions(page):
    """The view restrictions on `page` and its ancestors, with their groups, in one query
    (two with the groups); kept on the page instance for the length of the request.

    Same set as Wagtail's `Page.get_view_restrictions` (an alias page is governed by the
    restrictions of its source, never its own), returned as an evaluated queryset so that
    Wagtail's check of the page served reuses it (`BasePage.get_view_restrictions`).
    """
    memo = _memo(page, "_cop_access_memo")
    if "restrictions" not in memo:
        paths = [page.path[: Page.steplen * depth] for depth in range(1, len(page.path) // Page.steplen + 1)]
        restrictions = (
            PageViewRestriction.objects.filter(
                Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
            )
            .distinct()
            .prefetch_related("groups")
        )
        if page.alias_of_id:
            restrictions = Page.get_view_restrictions(page).prefetch_related("groups")
        list(restrictions)  # evaluated once; iterating again reads the result cache
        memo["restrictions"] = restrictions
    return memo["restrictions"]


def _restriction_passes(restriction, user, group_ids):
    kind = restriction.restriction_type
    if kind == BaseViewRestriction.LOGIN:
        return _is_signed_in(user)
    if kind == BaseViewRestriction.GROUPS:
        return _is_signed_in(user) and any(g.id in group_ids for g in restriction.groups.all())
    return False


def _failing_restrictions(model, user):
    """The view restrictions (of `model`) this reader cannot pass, as a queryset."""
    restrictions = model.objects.all()
    if not _is_signed_in(user):
        return restrictions
    passing = Q(restriction_type=BaseViewRestriction.LOGIN) | Q(
        restriction_type=BaseViewRestriction.GROUPS, groups__in=_group_ids(user)
    )
    return restrictions.exclude(pk__in=model.objects.filter(passing).values("pk"))


def anonymous_page_types():
    """Content types of the page models that may ever be shown to visitors not signed in."""
    from django.contrib.contenttypes.models import ContentType

    models = [m for m in get_page_models() if getattr(m, "anonymous_readable", False)]
    return ContentType.objects.get_for_models(*models).values()


def unpublished_sections():
    """Pages that are not live and have pages below them (the tree's root excepted): a
    coordinator who unpublishes a section hides everything in it, live pages included, until
    it is published again. A partial index (migration wiki 0006) keeps this list cheap."""
    return Page.objects.filter(live=False, numchild__gt=0, depth__gt=1)


def _in_unpublished_section():
    """True for a page (`OuterRef("path")`) below an unpublished section."""
    return Exists(unpublished_sections().filter(path=Substr(OuterRef("path"), 1, Length(F("path")))))


def viewable_pages(user, queryset=None):
    """Filter a page queryset down to the live pages `user` may read: live, in no
    unpublished section, and every view restriction on the page and its ancestors passes.

    The paths closed to the reader (`closed_paths`) are read first; each page then checks its
    ancestor path at the depths that have closed paths against one list per depth. So the
    filter is one SQL clause whatever the number of restricted pages, can be part of a search
    or listing query before paging, and costs the same per page however many restrictions
    there are (it never looks the restrictions up again for each page).
    """
    if queryset is None:
        queryset = Page.objects.all()
    condition = _open_condition(user)
    if _may_be_guest(user):
        condition |= Q(Exists(_viewable_by_restrictions(user, Page.objects.filter(pk=OuterRef("pk")))))
    return queryset.live().filter(condition)


def _viewable_by_restrictions(user, queryset):
    """`viewable_pages` stated on the restrictions themselves, guest invitations included:
    what the guests' part of the rule uses (an invitation lifts restrictions in one area)."""
    return readable_pages(user, queryset.live().filter(~_in_unpublished_section()))


def _open_condition(user):
    """The pages (as a condition on a page queryset) in no path closed to `user`, of a type
    visitors may see when they are not signed in; guest invitations aside."""
    condition = Q()
    for depth, paths in closed_paths(user).items():
        condition &= Q(_Among(Substr("path", 1, Page.steplen * depth), paths, negated=True))
    if not _is_signed_in(user):
        condition &= Q(content_type__in=anonymous_page_types())
    return condition


def _may_be_guest(user):
    """Does `user` hold a guest invitation (read with the closed paths)? Only guests' queries
    carry the guests' part of the rule, which checks the invitations themselves again (one kept
    from an earlier request may have expired since: the part then finds nothing)."""
    if not _is_signed_in(user) or user.is_superuser:
        return False
    return bool(_reader_paths(user)["guest_areas"])


def readable_pages(user, queryset):
    """Like `viewable_pages` but keeps drafts: what the admin's choosers and explorer may list
    (editing a draft still needs Wagtail's page permissions)."""
    if _is_signed_in(user) and user.is_superuser:
        return queryset
    blocked = _failing_restrictions(PageViewRestriction, user).filter(
        page__path=Substr(OuterRef("path"), 1, Length(F("page__path")))
    )
    if _is_signed_in(user):
        blocked = blocked.filter(~_guest_waiver(user))
    queryset = queryset.filter(~Exists(blocked))
    if not _is_signed_in(user):
        queryset = queryset.filter(content_type__in=anonymous_page_types())
    return queryset


# How a reader may read a page (`page_access`): through the view restrictions like everybody,
# or only as a guest invited to an area of a workspace.
READER = "reader"
GUEST = "guest"


def can_view_page(user, page):
    """May `user` read this page now?"""
    return page_access(user, page) is not None


def page_access(user, page):
    """`READER` when the restrictions let `user` read the live `page`, `GUEST` when only a
    guest invitation to an area containing it does, None when they may not read it (nobody
    may while the page or a section above it is unpublished).

    The guest invitations are looked up only when the restrictions refuse, so readers who are
    not guests pay nothing for them.
    """
    if not page.live or is_in_unpublished_section(page):
        return None
    if _passes_restrictions(user, page):
        return READER
    if page.live and _is_signed_in(user) and _guest_lifts_restrictions(user, page):
        return GUEST
    return None


def is_in_unpublished_section(page):
    """Is a page above `page` (below the tree's root) unpublished? One query, kept on the page
    instance for the length of the request like its restrictions."""
    memo = _memo(page, "_cop_access_memo")
    if "unpublished_above" not in memo:
        above = [page.path[: Page.steplen * depth] for depth in range(2, len(page.path) // Page.steplen)]
        memo["unpublished_above"] = bool(above) and Page.objects.filter(path__in=above, live=False).exists()
    return memo["unpublished_above"]


def unpublished_above():
    """`is_in_unpublished_section` as an annotation of a page queryset, so that the query that
    finds a page (the router's) answers it too; `remember_unpublished_above` keeps the answer."""
    return _in_unpublished_section()


def remember_unpublished_above(page, value):
    """Start the page's memo with the `unpublished_above()` annotation read with the page."""
    _memo(page, "_cop_access_memo")["unpublished_above"] = bool(value)


def _guest_area_paths(user, page):
    """Paths of the areas (pages) `user` is invited to as a guest that contain `page`."""
    from .models import Invitation

    ancestor_paths = [page.path[: Page.steplen * depth] for depth in range(1, page.depth + 1)]
    return list(
        Page.objects.filter(
            translation_key__in=Invitation.objects.guest_grants(user).values("area_key"),
            path__in=ancestor_paths,
        ).values_list("path", flat=True)
    )


def _guest_lifts_restrictions(user, page):
    """Does a guest invitation let `user` read `page`? It lifts the restrictions on its area
    and the area's ancestors (the workspace's); restrictions set below the area still apply."""
    area_paths = _guest_area_paths(user, page)
    if not area_paths:
        return False
    group_ids = _group_ids(user)
    ancestor_paths = [page.path[: Page.steplen * depth] for depth in range(1, page.depth + 1)]
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=ancestor_paths)
        .select_related("page")
        .prefetch_related("groups")
    )
    return any(
        all(
            _restriction_passes(r, user, group_ids)
            for r in restrictions
            if not area_path.startswith(r.page.path)
        )
        for area_path in area_paths
    )


def _guest_waiver(user):
    """For a query of restrictions on the ancestors of a page P (P's path as
    `OuterRef("path")` one level up): true for a restriction that a guest invitation of `user`
    lifts, because the area lies at or below the restricted page and at or above P."""
    from .models import Invitation

    areas = Page.objects.filter(
        translation_key__in=Invitation.objects.guest_grants(user).values("area_key"),
        path__startswith=OuterRef("page__path"),
    ).filter(path=Substr(OuterRef(OuterRef("path")), 1, Length(F("path"))))
    return Exists(areas)


def _passes_restrictions(user, page):
    """The rule without guest invitations: live, and every view restriction passes."""
    if not page.live:
        return False
    if _is_signed_in(user) and user.is_superuser:
        return True
    if not _is_signed_in(user) and not getattr(page.specific_class, "anonymous_readable", False):
        return False
    answers = _memo(user, "_cop_access_memo").setdefault("pages", {})
    if page.pk not in answers:
        group_ids = _group_ids(user)
        answers[page.pk] = all(_restriction_passes(r, user, group_ids) for r in view_restrictions(page))
    return answers[page.pk]


def can_view_collection(user, collection):
    if _is_signed_in(user) and user.is_superuser:
        return True
    group_ids = _group_ids(user)
    restrictions = collection.get_view_restrictions().prefetch_related("groups")
    return all(_restriction_passes(r, user, group_ids) for r in restrictions)


def can_view_document(user, document):
    """May `user` download this document through Wagtail's document view?

    Never for visitors who are not signed in: public files are served by the content that
    publishes them (a public deliverable), which asks `can_view_page` first.
    """
    return _is_signed_in(user) and (
        can_view_collection(user, document.collection) or is_shown_to_guest(user, document)
    )


def can_view_image(user, image):
    """Images are exactly as private as the documents of their collection."""
    return can_view_collection(user, image.collection) or is_shown_to_guest(user, image)


def _guest_references(user, model):
    """Reference-index rows of the `model` objects (documents, images) used on the pages
    `user` reads as a guest: "its documents" of an area are the ones its pages show."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.models import ReferenceIndex

    from .models import Invitation

    areas = Page.objects.filter(
        translation_key__in=Invitation.objects.guest_grants(user).values("area_key"),
        path=Substr(OuterRef("path"), 1, Length(F("path"))),
    )
    guest_pages = viewable_pages(user, Page.objects.filter(Exists(areas)))
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=guest_pages.annotate(text_id=Cast("pk", CharField())).values("text_id"),
        to_content_type=ContentType.objects.get_for_model(model),
    )


def is_shown_to_guest(user, obj):
    """Is this document or image used on a page `user` reads through a guest invitation?"""
    if not _is_signed_in(user):
        return False
    return _guest_references(user, type(obj)).filter(to_object_id=str(obj.pk)).exists()


def viewable_collections(user, queryset=None):
    if queryset is None:
        queryset = Collection.objects.all()
    if _is_signed_in(user) and user.is_superuser:
        return queryset
    blocked = _failing_restrictions(CollectionViewRestriction, user).filter(
        collection__path=Substr(OuterRef("path"), 1, Length(F("collection__path")))
    )
    return queryset.filter(~Exists(blocked))


def viewable_documents(user, queryset):
    """Filter a document (or image) queryset to what `user` may read."""
    readable = Q(collection__in=viewable_collections(user))
    if _is_signed_in(user) and not user.is_superuser:
        from django.db.models import IntegerField
        from django.db.models.functions import Cast

        shown = _guest_references(user, queryset.model).annotate(ref=Cast("to_object_id", IntegerField()))
        readable |= Q(pk__in=shown.values("ref"))
    return queryset.filter(readable)


def member_workspace_keys(user):
    """Translation keys of the workspaces `user` currently belongs to."""
    if not _is_signed_in(user):
        return []
    return [membership.workspace_key for membership in _memberships(user)]


def _memberships(user):
    """The reader's current memberships, read once per request."""
    from .models import Membership

    memo = _memo(user, "_cop_access_memo")
    if "memberships" not in memo:
        memo["memberships"] = list(Membership.objects.current().filter(user=user))
    return memo["memberships"]


def is_workspace_manager(user, workspace):
    if not _is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return any(m.is_manager for m in _memberships(user) if m.workspace_key == workspace.translation_key)


def is_workspace_member(user, workspace):
    """Does `user` currently belong to this workspace (any role)?"""
    if not _is_signed_in(user):
        return False
    return any(m.workspace_key == workspace.translation_key for m in _memberships(user))


def joinable_workspaces(user, queryset):
    """Open workspaces `user` does not belong to: their title and purpose are shown so that
    people can ask to join; everything inside them stays closed until they are members."""
    from .models import WorkspacePage

    if not _is_signed_in(user):
        return queryset.none()
    return (
        queryset.live()
        .filter(membership_policy=WorkspacePage.Policy.OPEN)
        .exclude(translation_key__in=member_workspace_keys(user))
    )


def who_can_access(workspace):
    """Everyone who may read and who may edit or publish in this workspace, as the rule says.

    Returns (user, membership or None for administrators, can_edit, can_publish) tuples from
    the materialised groups plus superusers, so a coordinator sees the rule's actual effect.
    """
    from django.contrib.auth import get_user_model

    from .models import Membership, WorkspaceAccess

    User = get_user_model()
    workspace_access = WorkspaceAccess.objects.filter(workspace_key=workspace.translation_key).first()
    memberships = {
        m.user_id: m for m in Membership.objects.current().filter(workspace_key=workspace.translation_key)
    }
    group_ids = []
    if workspace_access is not None:
        group_ids = [workspace_access.members_group_id, workspace_access.managers_group_id]
    readers = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__in=group_ids))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    rows = []
    for person in readers:
        if not can_view_page(person, workspace):
            continue
        permissions = workspace.permissions_for_user(person)
        rows.append((person, memberships.get(person.pk), permissions.can_edit(), permissions.can_publish()))
    return rows


# Materialisation -------------------------------------------------------------------------------


def workspaces_root_collection():
    # Wagtail's migration creates the root collection; a flushed database has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    existing = root.get_children().filter(name="Espaces de travail").first()
    return existing or root.add_child(name="Espaces de travail")


def _permissions(codenames, app_label="wagtailcore"):
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


@transaction.atomic
def sync_workspace(workspace_key):
    """Bring groups, permissions and restrictions of one workspace in line with its memberships.

    Idempotent; called whenever a membership or a workspace page (or its translation) changes.
    """
    _changed()
    from .models import Membership, WorkspaceAccess, WorkspacePage

    pages = list(WorkspacePage.objects.filter(translation_key=workspace_key).select_related("locale"))
    if not pages:
        return None
    source = next((p for p in pages if p.locale.language_code == "fr"), pages[0])
    label = source.acronym or source.title

    access = WorkspaceAccess.objects.filter(workspace_key=workspace_key).first()
    if access is None:
        members, _ = Group.objects.get_or_create(name=f"{label} — membres [{workspace_key.hex[:8]}]")
        managers, _ = Group.objects.get_or_create(name=f"{label} — coordination [{workspace_key.hex[:8]}]")
        collection = workspaces_root_collection().add_child(name=source.title)
        access = WorkspaceAccess.objects.create(
            workspace_key=workspace_key,
            members_group=members,
            managers_group=managers,
            collection=collection,
        )
    members, managers = access.members_group, access.managers_group
    groups = [members, managers]

    # Members write in both languages: wagtail-localize's "Translate this page" needs this
    # global permission; the pages it creates fall under the workspace's page permissions.
    admin_access = [
        *_permissions(["access_admin"], "wagtailadmin"),
        *_permissions(["submit_translation"], "wagtail_localize"),
    ]
    members.permissions.add(*admin_access)
    managers.permissions.add(*admin_access)

    member_perms = _permissions(MEMBER_PAGE_PERMISSIONS)
    manager_perms = _permissions(MANAGER_PAGE_PERMISSIONS)
    for page in pages:
        for group, perms in ((members, member_perms), (managers, manager_perms)):
            # A right the role no longer has (the list changed) is taken back, not left behind.
            GroupPagePermission.objects.filter(group=group, page=page).exclude(permission__in=perms).delete()
            for perm in perms:
                GroupPagePermission.objects.get_or_create(group=group, page=page, permission=perm)
        _restrict(PageViewRestriction, "page", page, groups)

    for group in groups:
        for app_label, codename in MEMBER_COLLECTION_PERMISSIONS:
            perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=access.collection, permission=perm
            )
    _restrict(CollectionViewRestriction, "collection", access.collection, groups)
    _assign_approval_workflow(pages, managers, label, workspace_key)

    current = list(Membership.objects.current().filter(workspace_key=workspace_key))
    member_ids = {m.user_id for m in current}
    manager_ids = {m.user_id for m in current if m.is_manager}
    for group, wanted in ((members, member_ids), (managers, manager_ids)):
        present = set(group.user_set.values_list("id", flat=True))
        if present - wanted:
            group.user_set.remove(*(present - wanted))
        if wanted - present:
            group.user_set.add(*(wanted - present))
    return access


def _assign_approval_workflow(pages, managers, label, workspace_key):
    """Pages a participant submits for moderation go to the workspace's own coordinators.

    Wagtail's default workflow (on the root page) asks the site-wide Moderators group, which
    no coordinator is in: without this, a participant's submission would wait for nobody.
    """
    suffix = f"[{workspace_key.hex[:8]}]"
    task = GroupApprovalTask.objects.filter(name__endswith=suffix).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{label} — approbation {suffix}"[:255])
    if set(task.groups.values_list("id", flat=True)) != {managers.id}:
        task.groups.set([managers])
    workflow = Workflow.objects.filter(name__endswith=suffix).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=f"{label} — publication {suffix}"[:255])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def _restrict(model, field, obj, groups):
    """Make `obj` readable only by `groups`, replacing any other restriction on it."""
    _changed()
    restrictions = list(model.objects.filter(**{field: obj}))
    keep = next((r for r in restrictions if r.restriction_type == BaseViewRestriction.GROUPS), None)
    for r in restrictions:
        if r is not keep:
            r.delete()
    if keep is None:
        keep = model(restriction_type=BaseViewRestriction.GROUPS, **{field: obj})
        keep.save()
    if set(keep.groups.values_list("id", flat=True)) != {g.id for g in groups}:
        keep.groups.set(groups)


def require_login(model, field, obj):
    """Make `obj` readable by any signed-in person (used for private-by-default areas)."""
    _changed()
    if not model.objects.filter(**{field: obj}).exists():
        model.objects.create(restriction_type=BaseViewRestriction.LOGIN, **{field: obj})


def set_page_audience(page, audience, workspace_key=None):
    """Materialise who may read one page: "public", "signed_in" or "workspace" members.

    Used by content that carries its own access level (deliverables); translations of the
    page get the same restriction at once.
    """
    from .models import WorkspaceAccess

    _changed()
    pages = list(Page.objects.filter(translation_key=page.translation_key))
    for target in pages:
        if audience == "public":
            PageViewRestriction.objects.filter(page=target).delete()
        elif audience == "signed_in":
            PageViewRestriction.objects.filter(page=target).exclude(
                restriction_type=BaseViewRestriction.LOGIN
            ).delete()
            require_login(PageViewRestriction, "page", target)
        elif audience == "workspace":
            workspace_access = WorkspaceAccess.objects.filter(workspace_key=workspace_key).first()
            if workspace_access is None:
                workspace_access = sync_workspace(workspace_key)
            if workspace_access is None:
                raise ValueError("A members-only page needs an existing workspace.")
            _restrict(
                PageViewRestriction,
                "page",
                target,
                [workspace_access.members_group, workspace_access.managers_group],
            )
        else:
            raise ValueError(f"Unknown audience {audience!r}")


# Forms of the rule for other queries ----------------------------------------------------------


class _Among(Func):
    """`expression` is one of `values` (with `negated`, none of them), given to the database as
    ONE parameter (PostgreSQL: an array, looked up through a hash; SQLite: a JSON list, looked
    up through a temporary index) rather than one placeholder per value: a visitor fails
    thousands of restrictions, and thousands of placeholders cost more to build, send and
    parse than the search itself."""

    output_field = BooleanField()

    def __init__(self, expression, values, negated=False):
        super().__init__(expression)
        self.values = list(values)
        self.negated = negated

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.values)) or "NULL"
        return f"{sql} {'NOT IN' if self.negated else 'IN'} ({marks})", [*params, *self.values]

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        kind = "integer" if all(isinstance(v, int) for v in self.values) else "text"
        among = f"{sql} = ANY(%s::{kind}[])"
        return (f"NOT ({among})" if self.negated else among), [*params, self.values]

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        operator = "NOT IN" if self.negated else "IN"
        # `sql` is compiled by Django; the values are one bound parameter.
        return f"{sql} {operator} (SELECT value FROM json_each(%s))", [*params, json.dumps(self.values)]  # noqa: S608


def closed_paths(user):
    """Paths of the pages under which (themselves included) `user` may read nothing now,
    grouped by depth: the restricted pages whose restriction the reader fails, and the
    unpublished sections (`unpublished_sections`). One small query; read once per request
    (kept on the user object like the reader's groups, and renewed by `_changed`, which
    publishing, unpublishing, moving and any change of a restriction also call) and, for a
    signed-in reader, kept between requests with their other facts (`reader_facts`).

    A member fails the restrictions of the other workspaces (a few dozen paths), a visitor who
    is not signed in every restriction: one path per restricted page at most.
    """
    return _reader_paths(user)["closed"]


def _reader_paths(user):
    """`closed_paths` and the paths of the areas `user` is invited to as a guest, read together
    in one query once per request (and kept between requests with the reader's facts)."""
    memo = _memo(user, "_cop_access_memo")
    if "reader_paths" not in memo:
        memo["reader_paths"] = _read_reader_paths(user)
    return memo["reader_paths"]


def _read_reader_paths(user):
    from .models import Invitation

    def tagged(pages, kind):
        return pages.order_by().annotate(kind=Value(kind)).values_list("path", "kind")

    sections = tagged(unpublished_sections(), "unpublished")
    if _is_signed_in(user) and user.is_superuser:
        rows = list(sections)
    else:
        failing = _failing_restrictions(PageViewRestriction, user).order_by().values("page_id")
        parts = [tagged(Page.objects.filter(pk__in=failing), "closed")]
        if _is_signed_in(user):
            areas = Invitation.objects.guest_grants(user).values("area_key")
            parts.append(tagged(Page.objects.filter(translation_key__in=areas), "guest"))
        rows = list(sections.union(*parts))
    by_depth = {}
    for path in sorted({path for path, kind in rows if kind != "guest"}):
        by_depth.setdefault(len(path) // Page.steplen, []).append(path)
    return {
        "closed": by_depth,
        "unpublished": sorted({path for path, kind in rows if kind == "unpublished"}),
        "guest_areas": sorted({path for path, kind in rows if kind == "guest"}),
    }


def viewable_page_condition(user, page_field="page_id"):
    """The rule of `viewable_pages` as one boolean expression on a reference to a page, for
    filtering another model's rows (a search index, a feed table) inside the same SQL query.

    Same rule as `viewable_pages` (live, in no unpublished section, every restriction on the
    page and its ancestors passes, page types visitors may see). The paths closed to this
    reader (`closed_paths`) are read first and given to the statement as one list per depth;
    each row checks its ancestor path at each of those depths against that list. The
    databases look a value up in such a list through a hash (PostgreSQL) or a sorted
    structure (SQLite) built once per statement, so the cost per row does not grow with the
    number of private pages, and nothing in the statement scans the page tree: tens of
    thousands of matching rows (a search for a common word) are checked in milliseconds and
    a rare word costs almost nothing.
    """
    return Exists(viewable_pages(user, Page.objects.filter(pk=OuterRef(page_field))))


# The rule as data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReaderRule:
    """What `viewable_page_condition` decides for one reader, as plain values read from the
    database now, for a search engine that cannot run SQL (Elasticsearch, `search.backends`).

    A page (its tree path and content type) is readable when no path in `blocked_paths` is
    the page's path or one of its ancestors', and, for visitors who are not signed in, its
    type is one of `page_types`; or, for a guest, when one of `guest_areas` is the page or an
    ancestor of it and no blocked path below that area is. `everything` is the superuser's
    rule. Whatever the number of private pages, this is one list of paths.

    `unpublished_paths` are the unpublished sections (`unpublished_sections`): they are in
    `blocked_paths` too, for every reader, and no guest invitation lifts them.
    """

    everything: bool = False
    blocked_paths: tuple = ()
    unpublished_paths: tuple = ()
    # None: any type of page (signed-in readers).
    page_types: tuple | None = None
    guest_areas: tuple = ()

    def still_blocked_in(self, area_path):
        """The blocked paths a guest invitation to `area_path` does not lift: those that are
        not the area or one of its ancestors (restrictions set below the area still apply)."""
        return tuple(
            path
            for path in self.blocked_paths
            if not area_path.startswith(path) or path in self.unpublished_paths
        )

    def allows(self, path, content_type_id):
        """Does the rule let this reader read the live page with this path and type?"""
        if self.everything:
            return True
        ancestors = {path[: Page.steplen * depth] for depth in range(1, len(path) // Page.steplen + 1)}
        if self.page_types is not None and content_type_id not in self.page_types:
            return False
        if not ancestors.intersection(self.blocked_paths):
            return True
        return any(
            area in ancestors and not ancestors.intersection(self.still_blocked_in(area))
            for area in self.guest_areas
        )


def reader_rule(user):
    """The rule of `viewable_page_condition` for `user` as a `ReaderRule`: the same paths
    closed to the reader and guest areas (`closed_paths`, read by the same query, now: a
    privacy change applies to the next search without reindexing) and the page types visitors
    may see (`anonymous_page_types`)."""
    paths = _read_reader_paths(user)
    unpublished = tuple(paths["unpublished"])
    blocked = tuple(sorted(path for by_depth in paths["closed"].values() for path in by_depth))
    if _is_signed_in(user) and user.is_superuser and not blocked:
        return ReaderRule(everything=True)
    page_types = None
    if not _is_signed_in(user):
        page_types = tuple(sorted(content_type.pk for content_type in anonymous_page_types()))
    return ReaderRule(
        blocked_paths=blocked,
        unpublished_paths=unpublished,
        page_types=page_types,
        guest_areas=tuple(paths["guest_areas"]),
    )
