"""Invalidate cached public pages when content or access changes.

The per-process cache is invalidated as a whole (one stamp file); a shared HTTP cache is
purged through Wagtail's frontend cache module (only when `FRONTEND_CACHE_URL` is set): the
page itself is purged by Wagtail, and here its ancestors (home pages, listings) in every
language, which list it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model_string
from wagtail.models import GroupPagePermission, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache


def _purge(page):
    if not settings.FRONTEND_CACHE_URL:
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    pages = list(Page.objects.filter(translation_key=page.translation_key))
    for each in pages:
        batch.add_pages(each.get_ancestors().filter(depth__gt=1).specific(defer=True))
        batch.add_pages(each.get_descendants(inclusive=True).live()[:500])
    batch.purge()


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    cache.bump()
    _purge(instance)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    cache.bump()
    _purge(instance)


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    cache.bump()


@receiver([post_save, post_delete], sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    # A public page that becomes private must leave every cache at once.
    cache.bump()
    if instance.page_id:
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            _purge(page)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, **kwargs):
    cache.bump()


@receiver([post_save, post_delete])
def snippet_changed(sender, **kwargs):
    # Snippets (licences, partner organisations) appear on public pages.
    from wagtail.snippets.models import get_snippet_models

    if sender in get_snippet_models():
        cache.bump()


@receiver(m2m_changed, sender=get_user_model().groups.through)
def reader_groups_changed(sender, **kwargs):
    # Memberships are materialised as groups: what a reader may see (and the fragments kept
    # for them, wiki.fragments) changes with them.
    cache.bump()


@receiver([post_save, post_delete], sender="wiki.Membership")
def membership_changed(sender, **kwargs):
    # The reader's memberships are kept per generation (perf.readers).
    cache.bump()


@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver([post_save, post_delete], sender=GroupPagePermission)
def permissions_changed(sender, **kwargs):
    # Django and Wagtail page permissions are kept per reader and generation (perf.readers).
    cache.bump()


@receiver([post_save, post_delete], sender=get_document_model_string())
def document_changed(sender, **kwargs):
    # A workspace home lists its latest documents (kept per reader and generation).
    cache.bump()


@receiver([post_save, post_delete], sender="wiki.Invitation")
def invitation_changed(sender, **kwargs):
    # A guest invitation opens part of a workspace to one reader.
    cache.bump()
