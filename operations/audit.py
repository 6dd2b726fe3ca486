"""Entries in Wagtail's audit log for what Wagtail does not log itself.

Wagtail already logs page, snippet, document and image edits (PageLogEntry, ModelLogEntry).
This module adds, through signals (operations depends on wiki, never the reverse):

- membership changes (`cop.membership.*`), with the workspace key in `data` so that a
  workspace's coordinators can be shown their own trail;
- permission changes: people added to or removed from groups, permissions given to groups,
  page and collection permissions granted or revoked (`cop.permission.*`);
- downloads of restricted files (`cop.download`), for documents behind a view restriction
  and for deliverable files that are not public;
- failed logins for existing accounts (`cop.login_failed`). Attempts on unknown user names
  have no account to attach to; django-axes keeps them (AccessAttempt), and logging them here
  would tell an administrator which names were tried, which is what axes is for.

The action labels are registered in `operations.wagtail_hooks`, so Wagtail's own "Site
history" report lists and filters these entries for administrators.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.documents.models import document_served
from wagtail.log_actions import log
from wagtail.models import CollectionViewRestriction, GroupCollectionPermission, GroupPagePermission

from wiki.models import Membership

User = get_user_model()


def _actor(request=None):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _membership_data(membership):
    return {
        "workspace_key": str(membership.workspace_key),
        "user_id": membership.user_id,
        "username": membership.user.get_username(),
        "role": membership.role,
        "joined": membership.joined.isoformat() if membership.joined else None,
        "left": membership.left.isoformat() if membership.left else None,
    }


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loading a backup or a fixture replays history, it does not make any
        return
    action = "cop.membership.add" if created else "cop.membership.change"
    log(instance, action, data=_membership_data(instance))


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, **kwargs):
    log(instance, "cop.membership.remove", data=_membership_data(instance), deleted=True)


@receiver(m2m_changed, sender=User.groups.through)
def group_members_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = "cop.permission.group_add" if action == "post_add" else "cop.permission.group_remove"
    if reverse:  # group.user_set.add(users...)
        users = sorted(User.objects.filter(pk__in=pk_set).values_list(User.USERNAME_FIELD, flat=True))
        log(instance, verb, data={"group": instance.name, "users": users})
        return
    for group in Group.objects.filter(pk__in=pk_set):  # user.groups.add(groups...)
        log(group, verb, data={"group": group.name, "users": [instance.get_username()]})


@receiver(m2m_changed, sender=Group.permissions.through)
def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set or reverse:
        return
    codenames = sorted(model.objects.filter(pk__in=pk_set).values_list("codename", flat=True))
    verb = "cop.permission.grant" if action == "post_add" else "cop.permission.revoke"
    log(instance, verb, data={"group": instance.name, "permissions": codenames})


def _object_permission_data(instance, target_field):
    target = getattr(instance, target_field)
    return {
        "group": instance.group.name,
        "permission": instance.permission.codename,
        target_field: target.pk,
        "target": str(target),
    }


@receiver(post_save, sender=GroupPagePermission)
@receiver(post_save, sender=GroupCollectionPermission)
def object_permission_granted(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        field = "page" if sender is GroupPagePermission else "collection"
        log(instance.group, "cop.permission.grant", data=_object_permission_data(instance, field))


@receiver(post_delete, sender=GroupPagePermission)
@receiver(post_delete, sender=GroupCollectionPermission)
def object_permission_revoked(sender, instance, **kwargs):
    field = "page" if sender is GroupPagePermission else "collection"
    try:
        data = _object_permission_data(instance, field)
    except (Group.DoesNotExist, AttributeError):  # the group itself is being deleted
        return
    if Group.objects.filter(pk=instance.group_id).exists():
        log(instance.group, "cop.permission.revoke", data=data)


@receiver(document_served)
def restricted_document_served(sender, instance, request=None, **kwargs):
    restricted = CollectionViewRestriction.objects.filter(
        collection__in=instance.collection.get_ancestors(inclusive=True)
    ).exists()
    if restricted:
        log(
            instance,
            "cop.download",
            user=_actor(request),
            data={"collection_id": instance.collection_id, "filename": instance.filename},
        )


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username")
    if not username:
        return
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        return
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    log(user, "cop.login_failed", data={"ip_address": address})


def log_deliverable_download(request, page_id):
    """Called by `DownloadAuditMiddleware` once a deliverable's file has been handed out."""
    from wagtail.models import PageViewRestriction

    from repository.models import DeliverablePage

    deliverable = DeliverablePage.objects.filter(pk=page_id).first()
    if deliverable is None:
        return
    restricted = PageViewRestriction.objects.filter(
        page__in=deliverable.get_ancestors(inclusive=True)
    ).exists()
    if restricted:
        document = deliverable.file
        log(
            deliverable,
            "cop.download",
            user=_actor(request),
            data={"document_id": document.pk if document else None, "access_level": deliverable.access_level},
        )
