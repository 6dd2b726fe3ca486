"""Shared setup of the search tests: a bilingual site with two private workspaces, public and
members-only deliverables, a partner organisation, and people with different rights.

Every piece of private content carries a marker word found nowhere else, so a test can say
"this word never reaches this reader" about a whole response.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from licensing.models import PartnerOrganisation
from repository.factories import (
    DeliverableFileFactory,
    DeliverablePageFactory,
    RepositoryIndexPageFactory,
)
from repository.models import DeliverablePage
from wiki.factories import (
    MeetingPageFactory,
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
    publish_translation,
)

# Each marker appears only in content readable by the people noted.
MARKER_A = "zorglubine"  # members of workspace A
MARKER_B = "quetzalcoatlite"  # members of workspace B
MARKER_MEMBERS_DELIVERABLE = "xylophonique"  # members of workspace B (members-only deliverable)
MARKER_PARTNERS_DELIVERABLE = "brontosaurien"  # anyone signed in
MARKER_PUBLIC = "kangourou"  # everyone
MARKER_PUBLIC_FILE = "ornithorynque"  # everyone (text of a public deliverable's file)
MARKER_PRIVATE_FILE = "hippocampelle"  # members of workspace B (file of the members-only deliverable)
MARKER_EMBARGOED_FILE = "lampadophore"  # nobody through search while the embargo runs


def body(text):
    return [("paragraph", f"<p>{text}</p>")]


@dataclass
class World:
    tree: object
    workspace_a: object
    workspace_b: object
    page_a: object
    page_b: object
    meeting_b: object
    public_deliverable: object
    partners_deliverable: object
    members_deliverable: object
    embargoed_deliverable: object
    partner: object
    member_a: object
    member_b: object
    outsider: object
    admin: object


def build_world():
    tree = build_site_tree()
    workspace_a = WorkspacePageFactory(
        parent=tree.workspaces_fr,
        title="Communauté de pratique en santé mentale",
        purpose="Partager les pratiques exemplaires en santé mentale jeunesse.",
        locale=tree.fr,
    )
    workspace_b = WorkspacePageFactory(
        parent=tree.workspaces_fr,
        title="Comité de soins palliatifs",
        purpose="Coordonner les soins palliatifs à domicile.",
        locale=tree.fr,
    )
    page_a = WikiPageFactory(
        parent=workspace_a,
        title="Pratiques de repérage",
        body=body(f"Les pratiques de repérage précoce et la {MARKER_A} des équipes."),
        locale=tree.fr,
    )
    page_b = WikiPageFactory(
        parent=workspace_b,
        title="Protocole de garde",
        body=body(f"Le protocole de garde et la {MARKER_B} du soir."),
        locale=tree.fr,
    )
    meeting_b = MeetingPageFactory(
        parent=workspace_b, title="Rencontre de novembre", agenda=f"<p>{MARKER_B} à l'ordre du jour</p>"
    )
    repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
    public_deliverable = DeliverablePageFactory(
        parent=repository,
        title="Guide de la santé des aînés",
        abstract=f"Un guide public sur la santé des aînés et le {MARKER_PUBLIC}.",
        deliverable_type=DeliverablePage.Type.GUIDE,
        access_level=DeliverablePage.Access.PUBLIC,
    )
    partners_deliverable = DeliverablePageFactory(
        parent=repository,
        title="Rapport aux partenaires",
        abstract=f"Un rapport réservé aux partenaires sur le {MARKER_PARTNERS_DELIVERABLE}.",
        access_level=DeliverablePage.Access.PARTNERS,
    )
    members_deliverable = DeliverablePageFactory(
        parent=repository,
        title="Bilan interne du comité",
        abstract=f"Un bilan réservé aux membres sur le {MARKER_MEMBERS_DELIVERABLE}.",
        access_level=DeliverablePage.Access.MEMBERS,
        workspace_key=workspace_b.translation_key,
    )
    attach_file(public_deliverable, f"Texte intégral du guide, avec un {MARKER_PUBLIC_FILE}.")
    attach_file(members_deliverable, f"Annexe confidentielle : {MARKER_PRIVATE_FILE}.")
    embargoed_deliverable = DeliverablePageFactory(
        parent=repository,
        title="Étude sous embargo",
        abstract="Une étude publique dont les fichiers sont sous embargo.",
        access_level=DeliverablePage.Access.PUBLIC,
        embargo_until=datetime.date.today() + datetime.timedelta(days=90),
    )
    attach_file(embargoed_deliverable, f"Résultats préliminaires : {MARKER_EMBARGOED_FILE}.")
    partner = PartnerOrganisation.objects.create(
        name="Centre universitaire de recherche en santé",
        acronym="CURS",
        mission="Soutenir la recherche appliquée en santé et services sociaux.",
        locale=tree.fr,
    )
    member_a = UserFactory(username="membre-a")
    member_b = UserFactory(username="membre-b")
    outsider = UserFactory(username="externe")
    MembershipFactory(user=member_a, workspace=workspace_a)
    MembershipFactory(user=member_b, workspace=workspace_b)
    from wiki import access

    access.sync_workspace(workspace_a.translation_key)
    access.sync_workspace(workspace_b.translation_key)
    return World(
        tree,
        workspace_a,
        workspace_b,
        page_a,
        page_b,
        meeting_b,
        public_deliverable,
        partners_deliverable,
        members_deliverable,
        embargoed_deliverable,
        partner,
        member_a,
        member_b,
        outsider,
        SuperuserFactory(username="admin"),
    )


def attach_file(deliverable, text):
    """Give `deliverable` a file whose extracted text is `text`, as the repository records it."""
    DeliverableFileFactory(page=deliverable, text=text)
    deliverable.refresh_from_db()
    deliverable.save()


def search_url(language="fr", **params):
    from django.http import QueryDict

    with translation.override(language):
        url = reverse("search")
    query = QueryDict(mutable=True)
    query.update(params)
    return f"{url}?{query.urlencode()}"


def suggest_url(language="fr", **params):
    from django.http import QueryDict

    with translation.override(language):
        url = reverse("search_suggest")
    query = QueryDict(mutable=True)
    query.update(params)
    return f"{url}?{query.urlencode()}"


def translate(page, locale):
    return publish_translation(page, locale)


def results_html(response):
    """The part of a search page that comes from the index (results, counts, facets, pages),
    without the places that merely repeat what the reader typed."""
    import re

    html = response.content.decode()
    start = html.find('<div class="search-layout">')
    if start == -1:
        return ""
    region = html[start : html.find("</main>", start)]
    region = re.sub(r'<p role="status">[^<]*</p>', "", region)
    # Links repeat the query string; the page addresses they point to are kept apart.
    return re.sub(r'href="\?[^"]*"', "", region)


def add_guest_area(world, username):
    """A guest invited (and accepted) to an area of workspace B, with a password-restricted page
    below the area that the invitation does not lift. Returns (area, below_area, guest)."""
    from django.utils import timezone
    from wagtail.models import PageViewRestriction

    from wiki.factories import UserFactory, WikiPageFactory
    from wiki.models import Invitation

    area = WikiPageFactory(parent=world.workspace_b, title="Zone invitée", locale=world.tree.fr)
    below_area = WikiPageFactory(parent=area, title="Sous la zone", locale=world.tree.fr)
    PageViewRestriction.objects.create(
        page=below_area, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    guest = UserFactory(username=username)
    now = timezone.now()
    Invitation.objects.create(
        workspace_key=world.workspace_b.translation_key,
        area_key=area.translation_key,
        email=f"{username}@example.org",
        expires=now + datetime.timedelta(days=30),
        accepted_at=now,
        accepted_by=guest,
    )
    return area, below_area, guest
