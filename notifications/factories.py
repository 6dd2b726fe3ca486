"""Test factories for email choices and watched pages."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from wiki.factories import UserFactory

from .models import EmailSettings, Frequency, PageReader, WorkspaceSubscription


class WorkspaceSubscriptionFactory(DjangoModelFactory):
    """Pass `workspace=<WorkspacePage>` (any language copy)."""

    user = factory.SubFactory(UserFactory)
    workspace_key = factory.LazyAttribute(lambda s: s.workspace.translation_key)
    digest = Frequency.WEEKLY

    class Params:
        workspace = None

    class Meta:
        model = WorkspaceSubscription
        django_get_or_create = ("user", "workspace_key")


class EmailSettingsFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    no_email = True

    class Meta:
        model = EmailSettings


class PageReaderFactory(DjangoModelFactory):
    """Pass `page=<Page>`; watching by default."""

    user = factory.SubFactory(UserFactory)
    page_key = factory.LazyAttribute(lambda r: r.page.translation_key)
    watching = True
    watched_since = factory.LazyFunction(timezone.now)

    class Params:
        page = None

    class Meta:
        model = PageReader
