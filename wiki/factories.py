"""Test and demo factories for workspaces, wiki pages, meetings and memberships.

Pages are built with wagtail-factories (`parent=` places them in the tree). `build_site_tree`
makes the smallest bilingual site the access rules can be checked on: French and English
locales, a French home page as the default site's root with its English translation, and the
workspace index in both languages. Tests of any read path start from it.
"""

import datetime
from dataclasses import dataclass

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Locale, Page, Site

from . import access
from .models import HomePage, MeetingPage, Membership, WikiPage, WorkspaceIndexPage, WorkspacePage

# The password every factory-made account is given.
PASSWORD = "correct-horse-battery-9"  # noqa: S105 - test accounts only


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = "accueil"

    class Meta:
        model = HomePage


class WorkspaceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Espaces de travail"
    slug = "espaces"

    class Meta:
        model = WorkspaceIndexPage


class WorkspacePageFactory(wagtail_factories.PageFactory):
    """A workspace page, restricted to its members at once.

    The app restricts a new workspace when the transaction commits; tests inside a transaction
    would never see that, so the factory calls the same `sync_workspace` itself (idempotent).
    """

    title = factory.Sequence(lambda n: f"Communauté de pratique {n}")
    acronym = factory.Sequence(lambda n: f"CdP {n}")
    purpose = "Partager les pratiques entre établissements."
    kind = WorkspacePage.Kind.COP

    class Meta:
        model = WorkspacePage
        skip_postgeneration_save = True

    @factory.post_generation
    def synced(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            access.sync_workspace(obj.translation_key)


class WikiPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page de wiki {n}")

    class Meta:
        model = WikiPage


class MeetingPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Rencontre {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    mode = MeetingPage.Mode.VIDEO
    location = "https://visio.example.org/salle"

    class Meta:
        model = MeetingPage


class MembershipFactory(DjangoModelFactory):
    """A current membership; pass `workspace=<WorkspacePage>` (any language copy)."""

    user = factory.SubFactory(UserFactory)
    workspace_key = factory.LazyAttribute(lambda m: m.workspace.translation_key)
    role = Membership.Role.PARTICIPANT

    class Params:
        workspace = None

    class Meta:
        model = Membership


def get_locale(language_code):
    return Locale.objects.get_or_create(language_code=language_code)[0]


def publish_translation(page, locale):
    """Copy `page` into `locale` (its parent must already be translated) and publish the copy."""
    translation = page.copy_for_translation(locale)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation.specific


@dataclass
class SiteTree:
    fr: Locale
    en: Locale
    home_fr: HomePage
    home_en: HomePage
    workspaces_fr: WorkspaceIndexPage
    workspaces_en: WorkspaceIndexPage


def build_site_tree():
    """The default site with a French home (its root), its English translation and the
    workspace index in both languages; Wagtail's placeholder welcome page is removed."""
    fr, en = get_locale("fr"), get_locale("en")
    root = Page.get_first_root_node()
    home_fr = HomePageFactory(parent=root, locale=fr)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home_fr, "site_name": "CdP"},
    )
    placeholder_type = ContentType.objects.get_for_model(Page)
    for placeholder in Page.objects.filter(depth=2, content_type=placeholder_type):
        placeholder.delete()
    home_en = publish_translation(home_fr, en)
    workspaces_fr = WorkspaceIndexPageFactory(parent=home_fr, locale=fr)
    workspaces_en = publish_translation(workspaces_fr, en)
    return SiteTree(fr, en, home_fr, home_en, workspaces_fr, workspaces_en)


@dataclass
class AccessMatrix:
    """Workspace A (with a page, a meeting and a document), workspace B, the steering
    committee, and one person per kind of reader: the fixture of every permission test."""

    tree: SiteTree
    workspace_a: WorkspacePage
    workspace_b: WorkspacePage
    steering_committee: WorkspacePage
    page_a: WikiPage
    meeting_a: MeetingPage
    document_a: object
    users: dict


def build_access_matrix():
    from django.core.files.base import ContentFile

    from .models import WorkspaceAccess

    tree = build_site_tree()
    workspace_a = WorkspacePageFactory(
        parent=tree.workspaces_fr, locale=tree.fr, title="CdP A", acronym="CdP A"
    )
    workspace_b = WorkspacePageFactory(
        parent=tree.workspaces_fr, locale=tree.fr, title="CdP B", acronym="CdP B"
    )
    steering = WorkspacePageFactory(
        parent=tree.workspaces_fr,
        locale=tree.fr,
        title="Comité directeur",
        acronym="CD",
        kind=WorkspacePage.Kind.COMMITTEE,
    )
    page_a = WikiPageFactory(parent=workspace_a, locale=tree.fr, title="Plan confidentiel de la CdP A")
    page_a.save_revision().publish()
    meeting_a = MeetingPageFactory(parent=workspace_a, locale=tree.fr, title="Rencontre confidentielle A")
    collection = WorkspaceAccess.objects.get(workspace_key=workspace_a.translation_key).collection
    document_a = wagtail_factories.DocumentFactory(
        collection=collection,
        title="Procès-verbal confidentiel A",
        file=ContentFile(b"Contenu confidentiel A\n", name="pv-a.txt"),
    )
    users = {
        "anonymous": None,
        "partner": UserFactory(username="partner"),
        "member-a": UserFactory(username="member-a"),
        "coordinator-a": UserFactory(username="coordinator-a"),
        "member-b": UserFactory(username="member-b"),
        "steering": UserFactory(username="steering"),
        "admin": SuperuserFactory(username="admin"),
    }
    MembershipFactory(user=users["member-a"], workspace=workspace_a)
    MembershipFactory(user=users["coordinator-a"], workspace=workspace_a, role=Membership.Role.COORDINATOR)
    MembershipFactory(user=users["member-b"], workspace=workspace_b)
    MembershipFactory(user=users["steering"], workspace=steering, role=Membership.Role.LEADER)
    return AccessMatrix(tree, workspace_a, workspace_b, steering, page_a, meeting_a, document_a, users)
