"""Access-control matrix over every URL pattern of the site.

The patterns are read from the URL conf itself (`get_resolver()`), so a view added later is
in the matrix at once: if nobody declared who may reach it,
`test_every_url_pattern_has_a_declared_expectation` fails and names it. Each declared cell is
one request as one of seven people:

    anonymous, partner (signed in, in no workspace), other_member (member of workspace B),
    member and coordinator (of workspace A), steering (member of the Steering Committee),
    admin (superuser).

An outcome is ALLOWED (2xx, or a redirect that is not to a login page) or DENIED (403, 404,
or a redirect to a login page). The Wagtail admin is one area: every one of its patterns
is requested as anonymous and as partner (who hold no `access_admin` permission) and must be
refused; what members may do inside the admin is Wagtail's own object-level permission
model, materialised by `wiki.access.sync_workspace` and checked by a few cells below.
"""

import datetime
import uuid
from urllib.parse import urlsplit

from django.db import transaction
from django.test import TestCase
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from wagtail_factories import ImageFactory

from licensing.factories import AgreementFactory
from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableFile, DeliverablePage
from wiki import access
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
from wiki.models import Invitation, JoinRequest, Membership, WorkspaceAccess, WorkspacePage

ROLES = ("anonymous", "partner", "other_member", "member", "coordinator", "steering", "admin")
A, D = "allowed", "denied"


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome_in=A):
    return {**everyone(outcome_in), "anonymous": D}


WORKSPACE_A = {"member": A, "coordinator": A, "admin": A, "anonymous": D, "partner": D, "other_member": D}
WORKSPACE_A["steering"] = D
STEERING = {**everyone(D), "steering": A, "admin": A}
MANAGERS_A = {**everyone(D), "coordinator": A, "admin": A}
EDITORS_A = {**everyone(D), "member": A, "coordinator": A, "admin": A}
MEMBERS_A_ONLY = {**everyone(D), "member": A, "coordinator": A}
# Asking to join: signed-in people who are not members yet.
JOIN_OPEN = {**everyone(A), "anonymous": D, "other_member": D}
# Leaving: only current members (the last coordinator is told to name another first).
LEAVE_A = MEMBERS_A_ONLY
ADMIN_ONLY = {**everyone(D), "admin": A}
WAGTAIL_ADMIN_USERS = {**everyone(A), "anonymous": D, "partner": D}


def walk(patterns, prefix="", namespace=None):
    """Yield (key, pattern chain) for every leaf pattern; the key is the namespaced URL name, or
    the route itself for a pattern without a name."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = entry.name
            key = f"{namespace}:{name}" if namespace and name else (name or prefix + str(entry.pattern))
            yield key, prefix + str(entry.pattern)


def all_patterns():
    seen = {}
    for key, route in walk(get_resolver().url_patterns):
        seen.setdefault(key, route)
    return seen


ADMIN_PREFIX = "admin/"
# Wagtail admin patterns that anybody may reach, because they are how one signs in or gets
# the admin's static helpers.
ADMIN_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_icons",
    "wagtailadmin_default_locale",
}


class MatrixFixture:
    @classmethod
    def setUpTestData(cls):
        tree = cls.tree = build_site_tree()
        cls.workspace_a = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr)
        cls.workspace_a_en = publish_translation(cls.workspace_a, tree.en)
        access.sync_workspace(cls.workspace_a.translation_key)
        cls.workspace_b = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr)
        cls.steering_ws = WorkspacePageFactory(
            parent=tree.workspaces_fr, locale=tree.fr, kind=WorkspacePage.Kind.COMMITTEE
        )
        cls.workspace_open = WorkspacePageFactory(
            parent=tree.workspaces_fr, locale=tree.fr, membership_policy=WorkspacePage.Policy.OPEN
        )
        cls.wiki_a = WikiPageFactory(parent=cls.workspace_a, locale=tree.fr)
        cls.meeting_a = MeetingPageFactory(parent=cls.workspace_a, locale=tree.fr)
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        Access = DeliverablePage.Access
        cls.deliverables = {
            "public": DeliverablePageFactory(parent=repository, locale=tree.fr, file=DocumentFactory()),
            "partners": DeliverablePageFactory(
                parent=repository, locale=tree.fr, access_level=Access.PARTNERS, file=DocumentFactory()
            ),
            "members": DeliverablePageFactory(
                parent=repository,
                locale=tree.fr,
                access_level=Access.MEMBERS,
                workspace_key=cls.workspace_a.translation_key,
                file=DocumentFactory(),
            ),
        }
        collection_a = WorkspaceAccess.objects.get(workspace_key=cls.workspace_a.translation_key).collection
        cls.file_public = DeliverableFile.objects.create(
            page=cls.deliverables["public"], document=DocumentFactory()
        )
        cls.file_members = DeliverableFile.objects.create(
            page=cls.deliverables["members"], document=DocumentFactory(collection=collection_a)
        )
        cls.image_a = ImageFactory(collection=collection_a)
        cls.document_root = DocumentFactory()
        cls.document_a = DocumentFactory(collection=collection_a)

        cls.users = {
            "partner": UserFactory(username="matrix-partner"),
            "other_member": UserFactory(username="matrix-other"),
            "member": UserFactory(username="matrix-member"),
            "coordinator": UserFactory(username="matrix-coordinator"),
            "steering": UserFactory(username="matrix-steering"),
            "admin": SuperuserFactory(username="matrix-admin"),
        }
        MembershipFactory(user=cls.users["other_member"], workspace=cls.workspace_b)
        MembershipFactory(user=cls.users["other_member"], workspace=cls.workspace_open)
        MembershipFactory(user=cls.users["member"], workspace=cls.workspace_a)
        MembershipFactory(
            user=cls.users["coordinator"], workspace=cls.workspace_a, role=Membership.Role.COORDINATOR
        )
        MembershipFactory(user=cls.users["steering"], workspace=cls.steering_ws)
        cls.membership_a = Membership.objects.get(user=cls.users["member"])
        cls.join_request_a = JoinRequest.objects.create(
            user=cls.users["partner"], workspace_key=cls.workspace_a.translation_key
        )
        cls.invitation_a = Invitation.objects.create(
            workspace_key=cls.workspace_a.translation_key,
            email="invited@example.org",
            expires=timezone.now() + datetime.timedelta(days=14),
        )
        # Revisions with an author: compare.html fails on author-less ones (reported to the lead).
        cls.wiki_a.save_revision(user=cls.users["coordinator"]).publish()
        cls.wiki_a.save_revision(user=cls.users["member"])
        cls.revisions_a = list(
            cls.wiki_a.revisions.exclude(user=None).order_by("pk").values_list("pk", flat=True)
        )
        cls.agreement = AgreementFactory()

    def login_as(self, role):
        self.client.logout()
        if role != "anonymous":
            self.client.force_login(self.users[role])

    def outcome(self, response):
        status = response.status_code
        if status >= 500:
            return f"error {status}"
        if status in (401, 403, 404, 405):
            return D
        if 300 <= status < 400:
            path = urlsplit(response["Location"]).path
            login_paths = {"/admin/login/"}
            for language in ("fr", "en"):
                with translation.override(language):
                    login_paths.add(reverse("login"))
            # Wagtail's admin sends people without the permission back to its dashboard.
            refused_to_dashboard = (
                path == "/admin/" and urlsplit(response.request["PATH_INFO"]).path != "/admin/"
            )
            return D if path in login_paths or refused_to_dashboard else A
        return A


def cells(fixture):
    """The declared expectations: URL key → list of (method, url builder, language, {role: outcome})."""
    f = fixture
    d = f.deliverables

    def url(name, language="fr", **kwargs):
        def build():
            with translation.override(language):
                return reverse(name, kwargs=kwargs)

        return build

    def page(p):
        return lambda: p.url

    def doc(document):
        return lambda: document.url

    return {
        "login": [("get", url("login"), everyone(A))],
        # Anonymous visitors have nothing to sign out of: they are sent to the login page.
        "logout": [("post", url("logout"), signed_in())],
        "password_reset": [("get", url("password_reset"), everyone(A))],
        "password_reset_done": [("get", url("password_reset_done"), everyone(A))],
        # The confirm view is public; a bad token shows "invalid link" (tested elsewhere).
        "password_reset_confirm": [
            ("get", url("password_reset_confirm", uidb64="MQ", token="bad-token"), everyone(A))
        ],
        "password_reset_complete": [("get", url("password_reset_complete"), everyone(A))],
        "translation_missing": [
            ("get", url("translation_missing", language="en", page_id=f.tree.home_fr.pk), everyone(A)),
            ("get", url("translation_missing", language="en", page_id=f.workspace_a.pk), WORKSPACE_A),
        ],
        "deliverable_download": [
            ("get", url("deliverable_download", page_id=d["public"].pk), everyone(A)),
            ("get", url("deliverable_download", page_id=d["partners"].pk), signed_in()),
            ("get", url("deliverable_download", page_id=d["members"].pk), WORKSPACE_A),
        ],
        "wagtail_serve": [
            ("get", page(f.tree.home_fr), everyone(A)),
            ("get", page(f.tree.home_en), everyone(A)),
            ("get", page(f.tree.workspaces_fr), signed_in()),
            ("get", page(f.workspace_a), WORKSPACE_A),
            ("get", page(f.workspace_a_en), WORKSPACE_A),
            ("get", page(f.wiki_a), WORKSPACE_A),
            ("get", page(f.meeting_a), WORKSPACE_A),
            ("get", page(f.workspace_b), {**everyone(D), "other_member": A, "admin": A}),
            ("get", page(f.steering_ws), STEERING),
            ("get", page(d["public"]), everyone(A)),
            ("get", page(d["partners"]), signed_in()),
            ("get", page(d["members"]), WORKSPACE_A),
        ],
        "wagtaildocs_serve": [
            ("get", doc(f.document_root), signed_in()),
            ("get", doc(f.document_a), WORKSPACE_A),
        ],
        # Wagtail's password form renders for signed-in people, but shared passwords are
        # switched off: posting it never opens anything (see test_security_attacks).
        "wagtaildocs_authenticate_with_password": [
            ("get", url("wagtaildocs_authenticate_with_password", restriction_id=1), signed_in()),
        ],
        "robots.txt": [("get", lambda: "/robots.txt", everyone(A))],
        # The sitemap is public and the same for everyone (tests/wiki/test_wiki_sitemap.py).
        "sitemap": [("get", lambda: "/sitemap.xml", everyone(A))],
        "sitemap_section": [("get", lambda: "/sitemap-pages.xml", everyone(A))],
        # Wagtail's name for its login page only leads to ours (a redirect to a login page).
        "wagtailcore_login": [("get", lambda: "/_util/login/", everyone(D))],
        # Workspaces (wiki app): members read, coordinators manage.
        "wiki:members": [("get", url("wiki:members", workspace_id=f.workspace_a.pk), MANAGERS_A)],
        "wiki:change_role": [
            (
                "post",
                url("wiki:change_role", workspace_id=f.workspace_a.pk, membership_id=f.membership_a.pk),
                MANAGERS_A,
            )
        ],
        "wiki:end_membership": [
            (
                "post",
                url("wiki:end_membership", workspace_id=f.workspace_a.pk, membership_id=f.membership_a.pk),
                MANAGERS_A,
            )
        ],
        "wiki:decide_request": [
            (
                "post",
                url(
                    "wiki:decide_request",
                    workspace_id=f.workspace_a.pk,
                    request_id=f.join_request_a.pk,
                    decision="accept",
                ),
                MANAGERS_A,
            )
        ],
        "wiki:invite": [("post", url("wiki:invite", workspace_id=f.workspace_a.pk), MANAGERS_A)],
        "wiki:revoke_invitation": [
            (
                "post",
                url("wiki:revoke_invitation", workspace_id=f.workspace_a.pk, invitation_id=f.invitation_a.pk),
                MANAGERS_A,
            )
        ],
        # A forged invitation token opens nothing.
        "wiki:accept_invitation": [("get", url("wiki:accept_invitation", token="forged-token"), everyone(D))],
        # Only open workspaces take requests to join, from people not yet in them.
        "wiki:join": [
            ("post", url("wiki:join", workspace_id=f.workspace_a.pk), everyone(D)),
            ("post", url("wiki:join", workspace_id=f.workspace_open.pk), JOIN_OPEN),
        ],
        "wiki:leave": [("post", url("wiki:leave", workspace_id=f.workspace_a.pk), LEAVE_A)],
        "wiki:calendar": [("get", url("wiki:calendar", workspace_id=f.workspace_a.pk), WORKSPACE_A)],
        "wiki:calendar_feed": [("get", url("wiki:calendar_feed", token="forged-token"), everyone(D))],
        "wiki:create_page": [("get", url("wiki:create_page", workspace_id=f.workspace_a.pk), EDITORS_A)],
        # Documents by id and file name, through the access rule (guests' path to documents).
        "wiki:guest_document": [
            (
                "get",
                url("wiki:guest_document", document_id=f.document_a.pk, filename=f.document_a.filename),
                WORKSPACE_A,
            ),
            (
                "get",
                url("wiki:guest_document", document_id=f.document_root.pk, filename=f.document_root.filename),
                signed_in(),
            ),
        ],
        "wiki:history": [("get", url("wiki:history", page_id=f.wiki_a.pk), WORKSPACE_A)],
        "wiki:compare": [
            (
                "get",
                url(
                    "wiki:compare",
                    page_id=f.wiki_a.pk,
                    old_id=f.revisions_a[0],
                    new_id=f.revisions_a[-1],
                ),
                WORKSPACE_A,
            )
        ],
        "wiki:restore": [
            ("post", url("wiki:restore", page_id=f.wiki_a.pk, revision_id=f.revisions_a[0]), MANAGERS_A)
        ],
        # Repository (deliverables): files and citations follow the deliverable's access level;
        # statistics are for coordinators and editors; feeds and OAI-PMH list public records.
        "deliverable_file": [
            ("get", url("deliverable_file", file_id=f.file_public.pk), everyone(A)),
            ("get", url("deliverable_file", file_id=f.file_members.pk), WORKSPACE_A),
        ],
        # Unknown identifiers say nothing (a 404, or the login page to anonymous visitors).
        "deliverable_permalink": [
            ("get", url("deliverable_permalink", identifier="CDP-1999-9999"), everyone(D))
        ],
        "deliverable_version_permalink": [
            ("get", url("deliverable_version_permalink", identifier="CDP-1999-9999", version=1), everyone(D))
        ],
        "deliverable_cite": [
            ("get", url("deliverable_cite", page_id=d["public"].pk, fmt="bib"), everyone(A)),
            ("get", url("deliverable_cite", page_id=d["members"].pk, fmt="ris"), WORKSPACE_A),
        ],
        # Depositing a wiki page or meeting as a deliverable: the workspace's coordinators.
        "deliverable_deposit": [("get", url("deliverable_deposit", page_id=f.wiki_a.pk), MANAGERS_A)],
        "deliverable_add_file": [("get", url("deliverable_add_file", page_id=d["members"].pk), MANAGERS_A)],
        "repository_statistics": [("get", url("repository_statistics"), MANAGERS_A)],
        "repository_statistics_csv": [("get", url("repository_statistics_csv"), MANAGERS_A)],
        "repository_feed": [("get", url("repository_feed"), everyone(A))],
        "oai": [("get", lambda: "/oai/?verb=Identify", everyone(A))],
        "wiki:image": [
            ("get", url("wiki:image", image_id=f.image_a.pk, filter_spec="width-400"), WORKSPACE_A)
        ],
        # Each person chooses their own interface language.
        "translations:language": [("get", url("translations:language"), signed_in())],
        # Tag pages list only what the reader may see (tests/translations); an unknown tag says nothing.
        "translations:tag": [("get", url("translations:tag", slug="etiquette-inconnue"), everyone(D))],
        # Audit trail of a workspace: its coordinators and administrators.
        "operations:workspace_trail": [
            ("get", url("operations:workspace_trail", workspace_id=f.workspace_a.pk), MANAGERS_A)
        ],
        # Two-step sign-in: each signed-in person manages their own (no object identifier).
        "operations:two_factor_account": [("get", url("operations:two_factor_account"), signed_in())],
        "operations:two_factor_setup": [("get", url("operations:two_factor_setup"), signed_in())],
        "operations:two_factor_verify": [("get", url("operations:two_factor_verify"), signed_in())],
        "operations:two_factor_disable": [("post", url("operations:two_factor_disable"), signed_in())],
        "operations:two_factor_recovery_codes": [
            ("post", url("operations:two_factor_recovery_codes"), signed_in())
        ],
        # Email choices (notifications): each person's own; watching a page follows the access
        # rule; the unsubscribe link needs no sign-in, and a forged token opens nothing.
        "notifications:preferences": [("get", url("notifications:preferences"), signed_in())],
        "notifications:watch": [("post", url("notifications:watch", page_id=f.wiki_a.pk), WORKSPACE_A)],
        "notifications:unsubscribe": [
            ("get", url("notifications:unsubscribe", token="forged-token"), everyone(D))
        ],
        # Search answers everyone; what it lists is filtered by the access rule (tests/search).
        "search": [("get", url("search"), everyone(A))],
        "search_suggest": [("get", url("search_suggest"), everyone(A))],
        # Licences are public texts; acceptances are for coordinators and editors.
        "licensing:licences": [("get", url("licensing:licences"), everyone(A))],
        "licensing:licence": [("get", url("licensing:licence", spdx_id="CC-BY-4.0"), everyone(A))],
        "licensing:acceptances": [("get", url("licensing:acceptances"), MANAGERS_A)],
        # Accepting needs the signed token the acceptance gate hands out: without it, refused.
        "licensing:accept": [("post", url("licensing:accept"), everyone(D))],
        "licensing:agreement": [("get", url("licensing:agreement", pk=f.agreement.pk), signed_in())],
        # Inside the admin: the dashboard is for everyone with `access_admin` (workspace members
        # edit their pages there); people, groups, sites and locales are for administrators.
        "wagtailadmin_home": [("get", lambda: "/admin/", WAGTAIL_ADMIN_USERS)],
        "wagtailusers_users:index": [("get", lambda: "/admin/users/", ADMIN_ONLY)],
        "wagtailusers_groups:index": [("get", lambda: "/admin/groups/", ADMIN_ONLY)],
        "wagtailsites:index": [("get", lambda: "/admin/sites/", ADMIN_ONLY)],
        "wagtaillocales:index": [("get", lambda: "/admin/locales/", ADMIN_ONLY)],
        # Wagtail opens its site history to everyone with admin access, filtered to the objects
        # each may edit (tests/operations checks a member sees nothing of other workspaces).
        "wagtailadmin_reports:site_history": [
            ("get", lambda: "/admin/reports/site-history/", WAGTAIL_ADMIN_USERS)
        ],
    }


def admin_sample_path(key, route):
    """A concrete path for an admin pattern: reverse it with sample values of the right shape."""
    name = key
    import re

    groups = re.findall(r"<(?:(\w+):)?(\w+)>", route) + [
        ("re", g) for g in re.findall(r"\(\?P<(\w+)>", route)
    ]
    candidates = ["1", "x", str(uuid.uuid4()), "wagtailcore/page", "wagtailcore"]
    kwargs_names = [g[1] for g in groups]
    for candidate in candidates:
        try:
            return reverse(name, kwargs=dict.fromkeys(kwargs_names, candidate))
        except NoReverseMatch:
            continue
    # Positional or mixed patterns: fall back to the route with every parameter filled with 1.
    return "/" + re.sub(r"<[^>]+>|\([^)]*\)", "1", route).replace("^", "").replace("$", "")


class UrlMatrixTests(MatrixFixture, TestCase):
    def test_every_url_pattern_has_a_declared_expectation(self):
        declared = set(cells(self))
        missing = sorted(
            key
            for key, route in all_patterns().items()
            if not route.startswith(ADMIN_PREFIX) and key not in declared and not key.startswith("admin/")
        )
        self.assertEqual(missing, [], "URL patterns without a declared access expectation")

    def test_every_declared_expectation_covers_every_role(self):
        for key, rows in cells(self).items():
            for _method, _build, expected in rows:
                self.assertEqual(set(expected), set(ROLES), key)

    def test_every_declared_cell_gives_the_expected_outcome(self):
        failures = []
        for key, rows in cells(self).items():
            for method, build, expected in rows:
                path = build()
                for role in ROLES:
                    self.login_as(role)
                    # Each cell starts from the same data: what one person's POST changed is undone.
                    with transaction.atomic():
                        response = getattr(self.client, method)(path)
                        transaction.set_rollback(True)
                    got = self.outcome(response)
                    if got != expected[role]:
                        failures.append(
                            f"{key} {method.upper()} {path} as {role}: {got}, expected {expected[role]}"
                        )
        self.assertEqual(failures, [], "\n".join(failures))

    def test_the_admin_area_refuses_anonymous_visitors_and_people_without_admin_access(self):
        patterns = {k: r for k, r in all_patterns().items() if r.startswith(ADMIN_PREFIX)}
        self.assertGreater(len(patterns), 100)
        failures = []
        for role in ("anonymous", "partner"):
            self.login_as(role)
            for key, route in sorted(patterns.items()):
                if key.split(":")[-1] in ADMIN_PUBLIC or key in ADMIN_PUBLIC:
                    continue
                path = admin_sample_path(key, route)
                got = self.outcome(self.client.get(path))
                if got != D:
                    failures.append(f"{key} GET {path} as {role}: {got}")
        self.assertEqual(failures, [], "\n".join(failures))
