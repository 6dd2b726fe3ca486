"""The repository part of the demo: the repository section and a few deliverables with files."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from wiki.demo_utils import ensure_page, ensure_translation
from wiki.models import WorkspaceAccess

from .models import DeliverableCreator, DeliverableFile, DeliverablePage, RepositoryIndexPage
from .samples import make_docx, make_pdf

DELIVERABLES = [
    {
        "slug": "outil-autodiagnostic-mobilisation-connaissances",
        "en_slug": "km-self-assessment-tool",
        "title": "Outil d'autodiagnostic en mobilisation des connaissances",
        "en_title": "Knowledge mobilisation self-assessment tool",
        "type": DeliverablePage.Type.TOOL,
        "access": DeliverablePage.Access.PUBLIC,
        "workspace": "coordination",
        "issued": datetime.date(2015, 2, 15),
        "abstract": (
            "Un outil qui aide un établissement à vérifier s'il possède les compétences et les "
            "ressources nécessaires pour accompagner d'autres milieux dans l'implantation de sa "
            "pratique."
        ),
        "en_abstract": (
            "A tool that helps an institution check whether it has the competencies and resources "
            "needed to support other settings in implementing its practice."
        ),
        "tags": ["mobilisation des connaissances", "autodiagnostic"],
    },
    {
        "slug": "rapport-final-du-projet",
        "en_slug": "final-project-report",
        "title": "Rapport final du projet de mobilisation des connaissances",
        "en_title": "Final report of the knowledge mobilisation project",
        "type": DeliverablePage.Type.REPORT,
        "access": DeliverablePage.Access.PUBLIC,
        "workspace": "coordination",
        "issued": datetime.date(2015, 3, 31),
        "abstract": (
            "Bilan des quatre communautés de pratique : 35 établissements, plus de 200 "
            "participants et quatre stratégies de mobilisation des connaissances."
        ),
        "en_abstract": (
            "Results of the four communities of practice: 35 institutions, more than 200 "
            "participants and four knowledge mobilisation strategies."
        ),
        "tags": ["communauté de pratique", "bilan"],
    },
    {
        "slug": "plan-mc-cdp-a",
        "en_slug": "km-plan-cop-a",
        "title": "Plan de mobilisation des connaissances — CdP A",
        "en_title": "Knowledge mobilisation plan — CoP A",
        "type": DeliverablePage.Type.KM_PLAN,
        "access": DeliverablePage.Access.PARTNERS,
        "workspace": "a",
        "issued": datetime.date(2014, 6, 1),
        "abstract": "La stratégie de la CdP A pour soutenir les parents suivis en dépendance.",
        "en_abstract": "CoP A's strategy to support parents treated for addiction.",
        "tags": ["parentalité", "dépendance"],
    },
    {
        "slug": "plan-mc-cdp-b",
        "en_slug": "km-plan-cop-b",
        "title": "Plan de mobilisation des connaissances — CdP B",
        "en_title": "Knowledge mobilisation plan — CoP B",
        "type": DeliverablePage.Type.KM_PLAN,
        "access": DeliverablePage.Access.MEMBERS,
        "workspace": "b",
        "issued": datetime.date(2014, 6, 15),
        "abstract": "La stratégie de la CdP B pour des soins de santé mentale jeunesse concertés.",
        "en_abstract": "CoP B's strategy for collaborative youth mental health care.",
        "tags": ["santé mentale", "jeunesse"],
    },
    {
        "slug": "proces-verbal-comite-directeur-2014-03",
        "en_slug": "steering-committee-minutes-2014-03",
        "title": "Procès-verbal du comité directeur — mars 2014",
        "en_title": "Steering Committee minutes — March 2014",
        "type": DeliverablePage.Type.MINUTES,
        "access": DeliverablePage.Access.MEMBERS,
        "workspace": "steering",
        "issued": datetime.date(2014, 3, 20),
        "abstract": "Décisions du comité directeur sur les plans de mobilisation des connaissances.",
        "en_abstract": "Decisions of the Steering Committee on the knowledge mobilisation plans.",
        "tags": ["comité directeur"],
    },
    {
        "slug": "plan-mc-cdp-c",
        "en_slug": "km-plan-cop-c",
        "title": "Plan de mobilisation des connaissances — CdP C",
        "en_title": "Knowledge mobilisation plan — CoP C",
        "type": DeliverablePage.Type.KM_PLAN,
        "access": DeliverablePage.Access.PUBLIC,
        "workspace": "c",
        "issued": datetime.date(2014, 7, 2),
        "abstract": "La stratégie de la CdP C, diffusée largement auprès des établissements du réseau.",
        "en_abstract": "CoP C's strategy, widely shared with the network's institutions.",
        "tags": ["mobilisation des connaissances"],
        "coverage": "03",
        "formats": ["pdf", "docx"],
    },
    {
        "slug": "plan-mc-cdp-d",
        "en_slug": "km-plan-cop-d",
        "title": "Plan de mobilisation des connaissances — CdP D",
        "en_title": "Knowledge mobilisation plan — CoP D",
        "type": DeliverablePage.Type.KM_PLAN,
        "access": DeliverablePage.Access.PUBLIC,
        "workspace": "d",
        "issued": datetime.date(2014, 7, 15),
        "abstract": "La stratégie de la CdP D; ses annexes sont sous embargo jusqu'à leur validation.",
        "en_abstract": "CoP D's strategy; its appendices are under embargo until they are validated.",
        "tags": ["mobilisation des connaissances"],
        "embargo_days": 180,
        "formats": ["pdf", "docx"],
    },
    {
        "slug": "outil-autodiagnostic-mobilisation-connaissances-v2",
        "en_slug": "km-self-assessment-tool-v2",
        "title": "Outil d'autodiagnostic en mobilisation des connaissances (2e version)",
        "en_title": "Knowledge mobilisation self-assessment tool (second version)",
        "type": DeliverablePage.Type.TOOL,
        "access": DeliverablePage.Access.PUBLIC,
        "workspace": "coordination",
        "issued": datetime.date(2016, 1, 20),
        "abstract": (
            "Nouvelle version de l'outil d'autodiagnostic, revue après son usage dans 35 "
            "établissements : questions clarifiées et grille de résultats ajoutée."
        ),
        "en_abstract": (
            "New version of the self-assessment tool, revised after its use in 35 institutions: "
            "clearer questions and an added results grid."
        ),
        "tags": ["mobilisation des connaissances", "autodiagnostic"],
        "version": "2",
        "previous": "outil-autodiagnostic-mobilisation-connaissances",
        "formats": ["pdf", "docx"],
    },
]


CREATORS = [
    ("Gagnon", "Isabelle", "CIUSSS de la Capitale-Nationale"),
    ("Tremblay", "Marc-André", "Université Laval"),
]


def _document(workspace, title, filename, content):
    Document = get_document_model()
    collection = WorkspaceAccess.objects.get(workspace_key=workspace.translation_key).collection
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
    return document


def _files(spec, workspace):
    """Real PDF (and DOCX) files for one deliverable, generated on the spot."""
    lines = [spec["abstract"], "", spec["en_title"], spec["en_abstract"]]
    documents = []
    for extension in spec.get("formats", ["pdf"]):
        build = make_pdf if extension == "pdf" else make_docx
        content = build(spec["title"], lines)
        title = spec["title"] if extension == "pdf" else f"{spec['title']} (DOCX)"
        documents.append((extension, _document(workspace, title, f"{spec['slug']}.{extension}", content)))
    return documents


def load(context):
    home, admin = context["home"], context["users"]["admin"]
    index = ensure_page(
        home,
        RepositoryIndexPage,
        "depot",
        {
            "title": "Dépôt institutionnel",
            "show_in_menus": True,
            "intro": "<p>Les livrables des communautés de pratique et des comités.</p>",
        },
        en_slug="repository",
        en_fields={
            "title": "Institutional repository",
            "intro": "<p>The deliverables of the communities of practice and the committees.</p>",
        },
        user=admin,
    )
    licences = context.get("licences", {})
    pages = {}
    for spec in DELIVERABLES:
        workspace = context["workspaces"][spec["workspace"]]
        fields = {
            "title": spec["title"],
            "deliverable_type": spec["type"],
            "access_level": spec["access"],
            "workspace_key": workspace.translation_key,
            "date_issued": spec["issued"],
            "abstract": spec["abstract"],
            "languages": DeliverablePage.Languages.BOTH,
            "coverage": spec.get("coverage", "quebec"),
            "version": spec.get("version", "1"),
        }
        if spec.get("embargo_days"):
            fields["embargo_until"] = timezone.localdate() + datetime.timedelta(days=spec["embargo_days"])
        if spec.get("previous"):
            fields["previous_version"] = pages[spec["previous"]]
        if spec["access"] == DeliverablePage.Access.PUBLIC and licences:
            fields["licence"] = next(iter(licences.values()))
        page = ensure_page(
            index,
            DeliverablePage,
            spec["slug"],
            fields,
            user=admin,
        )
        page.tags.set(spec["tags"])
        if not page.files.exists():
            for number, (extension, document) in enumerate(_files(spec, workspace)):
                label = "Document complet (PDF)" if extension == "pdf" else "Version modifiable (DOCX)"
                page.files.add(DeliverableFile(document=document, label=label, sort_order=number))
        if not page.creators.exists():
            for number, (family, given, affiliation) in enumerate(CREATORS):
                page.creators.add(
                    DeliverableCreator(
                        family_name=family, given_name=given, affiliation=affiliation, sort_order=number
                    )
                )
        page.save_revision(user=admin).publish(user=admin)
        # Translated after its files and creators exist, so the English page carries them too.
        ensure_translation(
            page, spec["en_slug"], {"title": spec["en_title"], "abstract": spec["en_abstract"]}, user=admin
        )
        pages[spec["slug"]] = page
    context["repository"] = index
    context["deliverables"] = pages
