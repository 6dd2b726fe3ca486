"""The wiki part of the demo site: users, home pages, workspaces, pages, meetings, memberships.

Facts come from the case study in the brief (four CoPs A to D, a Steering Committee and a
Coordination Committee); every sentence is written for the demo.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site

from . import access
from .demo_utils import ensure_page, ensure_translation, locales, publish, tree_root
from .models import (
    ActionItem,
    HomePage,
    MeetingAttendee,
    MeetingPage,
    Membership,
    WikiPage,
    WorkspaceIndexPage,
    WorkspacePage,
)

USERS = [
    # username, first name, last name, description printed at the end
    ("admin", "Alex", "Administrateur", "superuser: everything, including the admin"),
    ("steering", "Sylvie", "Tremblay", "Steering Committee member"),
    ("partner", "Paul", "Gagnon", "partner organisation staff, no workspace"),
    ("coordinator-a", "Catherine", "Bouchard", "coordinator of CoP A"),
    ("member-a", "Marc", "Côté", "member of CoP A"),
    ("coordinator-b", "Nadia", "Haddad", "coordinator of CoP B"),
    ("member-b", "Julie", "Nguyen", "member of CoP B"),
    ("coordinator-c", "François", "Lavoie", "coordinator of CoP C"),
    ("member-c", "Isabelle", "Roy", "member of CoP C"),
    ("coordinator-d", "Martin", "Pelletier", "coordinator of CoP D"),
    ("member-d", "Sophie", "Bergeron", "member of CoP D"),
]

WORKSPACES = [
    {
        "slug": "cdp-a-parentalite-dependance",
        "en_slug": "cop-a-parenthood-addiction",
        "letter": "a",
        "kind": WorkspacePage.Kind.COP,
        "acronym": "CdP A",
        "title": "CdP A — Parentalité et dépendance",
        "en_title": "CoP A — Parenthood and addiction",
        "purpose": (
            "Aider les centres de réadaptation en dépendance à soutenir les parents qui "
            "consomment, afin de protéger le lien avec leurs enfants."
        ),
        "en_purpose": (
            "Help addiction rehabilitation centres support parents who use substances, so that "
            "the bond with their children is protected."
        ),
        "problem": (
            "<p>Les parents suivis en dépendance reçoivent rarement un soutien à leur rôle "
            "parental, alors que leurs enfants sont plus à risque.</p>"
        ),
        "en_problem": (
            "<p>Parents treated for addiction seldom receive support in their parenting role, "
            "although their children are at higher risk.</p>"
        ),
        "policy": WorkspacePage.Policy.INVITATION,
    },
    {
        "slug": "cdp-b-sante-mentale-jeunesse",
        "en_slug": "cop-b-youth-mental-health",
        "letter": "b",
        "kind": WorkspacePage.Kind.COP,
        "acronym": "CdP B",
        "title": "CdP B — Soins de santé mentale jeunesse en contexte pluriethnique",
        "en_title": "CoP B — Collaborative youth mental health care in multiethnic contexts",
        "purpose": (
            "Mettre en place des soins de santé mentale concertés pour les jeunes et leur famille "
            "dans les quartiers pluriethniques."
        ),
        "en_purpose": (
            "Set up collaborative mental health care for young people and their families in "
            "multiethnic neighbourhoods."
        ),
        "problem": (
            "<p>Les jeunes issus de l'immigration accèdent tard aux services de santé mentale, "
            "et les équipes de première ligne travaillent peu ensemble.</p>"
        ),
        "en_problem": (
            "<p>Young people from immigrant families reach mental health services late, and "
            "front-line teams seldom work together.</p>"
        ),
        "policy": WorkspacePage.Policy.OPEN,
    },
    {
        "slug": "cdp-c-encadrement-interprofessionnel",
        "en_slug": "cop-c-interprofessional-guidance",
        "letter": "c",
        "kind": WorkspacePage.Kind.COP,
        "acronym": "CdP C",
        "title": "CdP C — Encadrement des équipes interprofessionnelles",
        "en_title": "CoP C — Guiding interprofessional teams",
        "purpose": (
            "Partager une stratégie organisationnelle qui soutient l'encadrement clinique des "
            "équipes interprofessionnelles."
        ),
        "en_purpose": (
            "Share an organisational strategy that supports the clinical guidance of interprofessional teams."
        ),
        "problem": (
            "<p>Les gestionnaires encadrent des équipes de plusieurs professions sans outil "
            "commun pour soutenir la pratique.</p>"
        ),
        "en_problem": (
            "<p>Managers guide teams of several professions without a shared tool to support practice.</p>"
        ),
        "policy": WorkspacePage.Policy.INVITATION,
    },
    {
        "slug": "cdp-d-intervention-de-quartier",
        "en_slug": "cop-d-neighbourhood-intervention",
        "letter": "d",
        "kind": WorkspacePage.Kind.COP,
        "acronym": "CdP D",
        "title": "CdP D — Intervention de quartier en milieu défavorisé",
        "en_title": "CoP D — Neighbourhood intervention in a disadvantaged area",
        "purpose": (
            "Soutenir les intervenants de quartier qui travaillent avec les résidents d'un "
            "secteur défavorisé et leurs organismes."
        ),
        "en_purpose": (
            "Support neighbourhood workers who work with the residents of a disadvantaged area "
            "and their organisations."
        ),
        "problem": (
            "<p>Les besoins d'un quartier défavorisé dépassent ce qu'un seul établissement peut "
            "offrir; l'action concertée manque de repères.</p>"
        ),
        "en_problem": (
            "<p>The needs of a disadvantaged neighbourhood exceed what one institution can "
            "offer; joint action lacks reference points.</p>"
        ),
        "policy": WorkspacePage.Policy.OPEN,
    },
    {
        "slug": "comite-directeur",
        "en_slug": "steering-committee",
        "letter": "steering",
        "kind": WorkspacePage.Kind.COMMITTEE,
        "acronym": "CD",
        "title": "Comité directeur",
        "en_title": "Steering Committee",
        "purpose": (
            "Définir les orientations stratégiques du projet et approuver toute modification "
            "d'un livrable produit en vertu du protocole d'entente."
        ),
        "en_purpose": (
            "Set the project's strategic directions and approve any change to a deliverable "
            "produced under the memorandum of understanding."
        ),
        "problem": "",
        "en_problem": "",
        "policy": WorkspacePage.Policy.INVITATION,
    },
    {
        "slug": "comite-de-coordination",
        "en_slug": "coordination-committee",
        "letter": "coordination",
        "kind": WorkspacePage.Kind.COMMITTEE,
        "acronym": "CC",
        "title": "Comité de coordination",
        "en_title": "Coordination Committee",
        "purpose": (
            "Coordonner le travail des quatre communautés de pratique et préparer les "
            "recommandations soumises au comité directeur."
        ),
        "en_purpose": (
            "Coordinate the work of the four communities of practice and prepare the "
            "recommendations submitted to the Steering Committee."
        ),
        "problem": "",
        "en_problem": "",
        "policy": WorkspacePage.Policy.INVITATION,
    },
]


# The CoP design of each community (PAHO method): objective, one to three expected results,
# audiences, institutions; two CoPs kept an external wiki, as in the case study.
DESIGN = {
    "a": {
        "objective_type": WorkspacePage.Objective.BEST_PRACTICES,
        "results": [
            (
                "Un guide d'intervention parent-enfant en dépendance",
                "A parent-child intervention guide in addiction",
            ),
            ("Une formation de deux jours pour les intervenants", "A two-day training for practitioners"),
        ],
        "audiences": (
            "Intervenants en dépendance, gestionnaires, familles",
            "Addiction practitioners, managers, families",
        ),
        "host": "CAU en dépendance de Montréal",
        "institutions": (
            "CAU en dépendance de Montréal\n"
            "IU en jeunesse de Québec\n"
            "Organisme de mobilisation des connaissances"
        ),
        "regions": "Montréal, Capitale-Nationale",
        "external_wiki": "https://wiki.example.org/cdp-a",
    },
    "b": {
        "objective_type": WorkspacePage.Objective.SHARING,
        "results": [
            (
                "Un modèle de soins concertés adapté aux familles immigrantes",
                "A collaborative care model adapted to immigrant families",
            ),
            ("Des trajectoires de référence entre partenaires", "Referral pathways between partners"),
            ("Un bilan des pratiques après un an", "A review of practices after one year"),
        ],
        "audiences": (
            "Équipes de santé mentale jeunesse, écoles, organismes communautaires",
            "Youth mental health teams, schools, community organisations",
        ),
        "host": "IU en santé mentale jeunesse",
        "institutions": "IU en santé mentale jeunesse\nCAU en services sociaux de Montréal",
        "regions": "Montréal",
        "external_wiki": "https://wiki.example.org/cdp-b",
    },
    "c": {
        "objective_type": WorkspacePage.Objective.PROBLEM_SOLVING,
        "results": [
            ("Un outil d'autodiagnostic de l'encadrement", "A self-assessment tool for team guidance")
        ],
        "audiences": ("Gestionnaires et conseillers cliniques", "Managers and clinical advisers"),
        "host": "CAU en services sociaux de Québec",
        "institutions": "CAU en services sociaux de Québec\nInstitut national d'excellence",
        "regions": "Capitale-Nationale, Chaudière-Appalaches",
        "external_wiki": "",
    },
    "d": {
        "objective_type": WorkspacePage.Objective.LESSONS,
        "results": [
            (
                "Un recueil de leçons apprises en intervention de quartier",
                "A collection of lessons learned in neighbourhood intervention",
            ),
            ("Un atelier annuel avec les résidents", "A yearly workshop with residents"),
        ],
        "audiences": (
            "Intervenants de quartier, organismes du milieu",
            "Neighbourhood workers, local organisations",
        ),
        "host": "CAU en services sociaux de Montréal",
        "institutions": "CAU en services sociaux de Montréal\nTable des centres",
        "regions": "Montréal",
        "external_wiki": "",
    },
}


def _design_fields(letter, language):
    design = DESIGN.get(letter)
    if design is None:
        return {}
    index = 0 if language == "fr" else 1
    return {
        "objective_type": design["objective_type"],
        "expected_results": [("result", pair[index]) for pair in design["results"]],
        "target_audiences": design["audiences"][index],
        "host_institution": design["host"],
        "participating_institutions": design["institutions"],
        "regions": design["regions"],
        "external_wiki": design["external_wiki"],
    }


def _meeting_people(letter, users, start, past, language):
    """Attendees of a CoP meeting and, once it is over, their attendance and action items."""
    coordinator, member = users.get(f"coordinator-{letter}"), users.get(f"member-{letter}")
    if coordinator is None:
        return {"attendees": [], "action_items": []}
    attendance = MeetingAttendee.Attendance
    attendees = [
        MeetingAttendee(user=coordinator, attendance=attendance.PRESENT if past else attendance.EXPECTED),
        MeetingAttendee(user=member, attendance=attendance.EXCUSED if past else attendance.EXPECTED),
    ]
    items = []
    if past:
        text = (
            "Rassembler trois articles pour les lectures préalables"
            if language == "fr"
            else "Gather three articles for the pre-reading"
        )
        items = [
            ActionItem(description=text, owner=member, due_date=(start + datetime.timedelta(days=40)).date())
        ]
    return {"attendees": attendees, "action_items": items}


def _letter_of(workspaces, workspace):
    return next(letter for letter, candidate in workspaces.items() if candidate.pk == workspace.pk)


def _paragraphs(*texts):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def _pages_for(ws):
    """Two wiki pages per workspace, in French and English."""
    name_fr, name_en = ws["acronym"], ws["acronym"].replace("CdP", "CoP")
    return [
        {
            "slug": "plan-de-mobilisation",
            "en_slug": "km-plan",
            "title": "Plan de mobilisation des connaissances",
            "en_title": "Knowledge mobilisation plan",
            "body": _paragraphs(
                f"Ce plan décrit comment la {name_fr} fera connaître sa pratique de pointe aux "
                "établissements du réseau de la santé et des services sociaux.",
                "Étapes : cerner les connaissances à partager, adapter leur forme aux milieux "
                "intéressés, puis accompagner l'implantation.",
                "Avant chaque rencontre, consultez les [[Lectures préalables]]; le suivi du plan se "
                "fait à la [[Rencontre mensuelle]].",
            ),
            "en_body": _paragraphs(
                f"This plan describes how {name_en} will share its leading-edge practice with the "
                "institutions of the health and social services network.",
                "Steps: identify the knowledge to share, adapt its form to the interested "
                "settings, then support the implementation.",
                "Before each meeting, see the [[Pre-reading]]; the plan is followed up at the "
                "[[Monthly meeting]].",
            ),
        },
        {
            "slug": "lectures-prealables",
            "en_slug": "pre-reading",
            "title": "Lectures préalables",
            "en_title": "Pre-reading",
            "body": _paragraphs(
                "Articles et documents à lire avant les rencontres mensuelles.",
                "Ajoutez ici les références que vous jugez utiles pour la communauté.",
                "Ces lectures soutiennent le [[Plan de mobilisation des connaissances]]. Une page "
                "[[Bilan des apprentissages]] reste à écrire.",
            ),
            "en_body": _paragraphs(
                "Articles and documents to read before the monthly meetings.",
                "Add here the references you find useful for the community.",
                "These readings support the [[Knowledge mobilisation plan]]. A [[Lessons learned]] "
                "page is still to be written.",
            ),
        },
    ]


def ensure_users():
    User = get_user_model()
    users = {}
    for username, first, last, _ in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created or not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
        user.is_superuser = user.is_staff = username == "admin"
        user.save()
        users[username] = user
    return users


def ensure_home(admin):
    fr, en = locales()
    root = tree_root()
    home = HomePage.objects.filter(locale=fr, depth=2).first()
    intro_fr = (
        "<p>La plateforme des communautés de pratique du réseau de la santé et des services "
        "sociaux réunit intervenants, gestionnaires, chercheurs et patients partenaires. Les "
        "membres y rédigent ensemble leurs pages, préparent leurs rencontres et déposent leurs "
        "livrables dans le dépôt institutionnel.</p>"
    )
    intro_en = (
        "<p>The platform of the communities of practice of the health and social services "
        "network brings together practitioners, managers, researchers and patient partners. "
        "Members co-write their pages, prepare their meetings and record their deliverables in "
        "the institutional repository.</p>"
    )
    if home is None:
        # A fresh Wagtail install ships a placeholder "Welcome" page: the home replaces it.
        placeholder = Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage")
        home = HomePage(title="Accueil", slug="accueil", locale=fr, intro=intro_fr)
        root.add_child(instance=home)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True, root_page=home)
        site.root_page = home
        site.site_name = "Plateforme des communautés de pratique"
        site.save()
        for page in placeholder:
            page.delete()
    home.title = "Plateforme des communautés de pratique"
    home.intro = intro_fr
    publish(home, admin)
    home_en = ensure_translation(
        home,
        "home",
        {"title": "Communities of practice platform", "intro": intro_en},
        user=admin,
    )
    return home, home_en


def load():
    users = ensure_users()
    admin = users["admin"]
    home, home_en = ensure_home(admin)
    index = ensure_page(
        home,
        WorkspaceIndexPage,
        "communautes",
        {
            "title": "Communautés et comités",
            "show_in_menus": True,
            "intro": "<p>Les espaces de travail des communautés de pratique et des comités.</p>",
        },
        en_slug="communities",
        en_fields={
            "title": "Communities and committees",
            "intro": "<p>The workspaces of the communities of practice and the committees.</p>",
        },
        user=admin,
    )
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    workspaces = {}
    for ws in WORKSPACES:
        workspace = ensure_page(
            index,
            WorkspacePage,
            ws["slug"],
            {
                "title": ws["title"],
                "kind": ws["kind"],
                "acronym": ws["acronym"],
                "purpose": ws["purpose"],
                "problem": ws["problem"],
                "membership_policy": ws["policy"],
                **_design_fields(ws["letter"], "fr"),
            },
            en_slug=ws["en_slug"],
            en_fields={
                "title": ws["en_title"],
                "acronym": ws["acronym"].replace("CdP", "CoP"),
                "purpose": ws["en_purpose"],
                "problem": ws["en_problem"],
                **_design_fields(ws["letter"], "en"),
            },
            user=admin,
        )
        workspaces[ws["letter"]] = workspace
        access.sync_workspace(workspace.translation_key)
        if ws["kind"] == WorkspacePage.Kind.COP:
            for spec in _pages_for(ws):
                ensure_page(
                    workspace,
                    WikiPage,
                    spec["slug"],
                    {"title": spec["title"], "body": spec["body"]},
                    en_slug=spec["en_slug"],
                    en_fields={"title": spec["en_title"], "body": spec["en_body"]},
                    user=admin,
                )
        for number, (offset, title, en_title) in enumerate(
            [
                (-30, "Rencontre de démarrage", "Kick-off meeting"),
                (14, "Rencontre mensuelle", "Monthly meeting"),
            ],
            start=1,
        ):
            start = now + datetime.timedelta(days=offset)
            start = start.replace(hour=13, minute=30)
            past = offset < 0
            ensure_page(
                workspace,
                MeetingPage,
                f"rencontre-{number}",
                {
                    "title": title,
                    "start": start,
                    "mode": MeetingPage.Mode.VIDEO,
                    "location": "Visioconférence du réseau",
                    "agenda": "<ol><li>Tour de table</li><li>Suivis</li><li>Prochaines étapes</li></ol>",
                    "minutes": _paragraphs(
                        "Tour de table des établissements. "
                        + (
                            "Le [[Plan de mobilisation des connaissances]] a été présenté et commenté."
                            if ws["kind"] == WorkspacePage.Kind.COP
                            else "Le plan de travail a été présenté et commenté."
                        )
                    )
                    if past
                    else [],
                    "decisions": "<ul><li>Adopter le plan de travail.</li></ul>" if past else "",
                    **_meeting_people(ws["letter"], users, start, past, "fr"),
                },
                en_slug=f"meeting-{number}",
                en_fields={
                    "title": en_title,
                    "location": "Network videoconference",
                    "agenda": "<ol><li>Round table</li><li>Follow-ups</li><li>Next steps</li></ol>",
                    "minutes": _paragraphs(
                        "Round table of the institutions. "
                        + (
                            "The [[Knowledge mobilisation plan]] was presented and discussed."
                            if ws["kind"] == WorkspacePage.Kind.COP
                            else "The work plan was presented and discussed."
                        )
                    )
                    if past
                    else [],
                    "decisions": "<ul><li>Adopt the work plan.</li></ul>" if past else "",
                    **_meeting_people(ws["letter"], users, start, past, "en"),
                },
                user=admin,
            )

    ensure_page(
        workspaces["coordination"],
        WikiPage,
        "suivi-des-communautes",
        {
            "title": "Suivi des communautés",
            "body": _paragraphs(
                "Chaque communauté tient son plan : [[CdP A:Plan de mobilisation des connaissances]], "
                "[[CdP B:Plan de mobilisation des connaissances]], [[CdP C:Plan de mobilisation des "
                "connaissances]] et [[CdP D:Plan de mobilisation des connaissances]].",
                "Les liens s'ouvrent pour les membres de chaque communauté.",
            ),
        },
        en_slug="communities-follow-up",
        en_fields={
            "title": "Communities follow-up",
            "body": _paragraphs(
                "Each community keeps its plan: [[CoP A:Knowledge mobilisation plan]], "
                "[[CoP B:Knowledge mobilisation plan]], [[CoP C:Knowledge mobilisation plan]] and "
                "[[CoP D:Knowledge mobilisation plan]].",
                "The links open for the members of each community.",
            ),
        },
        user=admin,
    )

    roles = Membership.Role
    wanted = []
    for letter in "abcd":
        wanted.append((users[f"coordinator-{letter}"], workspaces[letter], roles.COORDINATOR))
        wanted.append((users[f"member-{letter}"], workspaces[letter], roles.PARTICIPANT))
        wanted.append((users[f"coordinator-{letter}"], workspaces["coordination"], roles.PARTICIPANT))
    wanted.append((users["steering"], workspaces["steering"], roles.LEADER))
    wanted.append((users["steering"], workspaces["coordination"], roles.PARTICIPANT))
    joined = datetime.date(2012, 11, 1)
    for user, workspace, role in wanted:
        Membership.objects.update_or_create(
            user=user,
            workspace_key=workspace.translation_key,
            defaults={
                "role": role,
                "joined": joined,
                "left": None,
                "institution": DESIGN.get(_letter_of(workspaces, workspace), {}).get("host", ""),
            },
        )
    for workspace in workspaces.values():
        access.sync_workspace(workspace.translation_key)

    return {
        "users": users,
        "home": home,
        "home_en": home_en,
        "workspaces": workspaces,
        "logins": [(username, description) for username, _, _, description in USERS],
    }
