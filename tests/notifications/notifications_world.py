"""The shared fixture of the notification tests: the access matrix, an English-speaking member
of workspace A, a former member, and helpers to publish as someone."""

import datetime

from django.utils import timezone
from wagtail.models import Page, PageLogEntry
from wagtail.users.models import UserProfile

from wiki.factories import MembershipFactory, UserFactory, build_access_matrix


def build_world(cls):
    cls.matrix = build_access_matrix()
    cls.users = cls.matrix.users
    cls.workspace_a = cls.matrix.workspace_a
    cls.page_a = cls.matrix.page_a
    cls.english = UserFactory(username="english-a", first_name="Emma", last_name="English")
    profile = UserProfile.get_for_user(cls.english)
    profile.preferred_language = "en"
    profile.save()
    MembershipFactory(user=cls.english, workspace=cls.workspace_a)
    cls.former = UserFactory(username="former-a")
    # What the fixture published happened long ago: tests make their own recent changes.
    long_ago = timezone.now() - datetime.timedelta(days=30)
    PageLogEntry.objects.update(timestamp=long_ago)
    Page.objects.update(first_published_at=long_ago, last_published_at=long_ago)
    for page in (cls.workspace_a, cls.page_a, cls.matrix.meeting_a, cls.matrix.workspace_b):
        page.refresh_from_db()
    MembershipFactory(
        user=cls.former,
        workspace=cls.workspace_a,
        joined=datetime.date(2020, 1, 1),
        left=timezone.localdate() - datetime.timedelta(days=1),
    )


def publish(page, user=None):
    revision = page.save_revision(user=user)
    # Tests publish as whoever made the change (participants submit through the admin).
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page
