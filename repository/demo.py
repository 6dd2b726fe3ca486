"""The repository part of the demo: the repository section and a few deliverables with files."""

import datetime

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from wiki.demo_utils import ensure_page
from wiki.models import WorkspaceAccess

from .models import DeliverablePage, RepositoryIndexPage

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
]


def _pdf(title, lines):
    """A small, valid PDF with a title and a few lines of text (Latin-1 only)."""
    text = [f"BT /F1 18 Tf 72 760 Td ({_escape(title)}) Tj ET"]
    for number, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 72 {730 - 16 * number} Td ({_escape(line)}) Tj ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _file(spec, workspace):
    Document = get_document_model()
    access = WorkspaceAccess.objects.get(workspace_key=workspace.translation_key)
    document = Document.objects.filter(title=spec["title"], collection=access.collection).first()
    if document is None:
        document = Document(title=spec["title"], collection=access.collection)
        content = _pdf(spec["title"], [spec["abstract"], "", spec["en_title"], spec["en_abstract"]])
        document.file.save(f"{spec['slug']}.pdf", ContentFile(content), save=False)
        document.save()
    return document


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
    for spec in DELIVERABLES:
        workspace = context["workspaces"][spec["workspace"]]
        document = _file(spec, workspace)
        fields = {
            "title": spec["title"],
            "deliverable_type": spec["type"],
            "access_level": spec["access"],
            "workspace_key": workspace.translation_key,
            "date_issued": spec["issued"],
            "abstract": spec["abstract"],
            "file": document,
        }
        page = ensure_page(
            index,
            DeliverablePage,
            spec["slug"],
            fields,
            en_slug=spec["en_slug"],
            en_fields={"title": spec["en_title"], "abstract": spec["en_abstract"]},
            user=admin,
        )
        page.tags.set(spec["tags"])
        page.save_revision(user=admin).publish(user=admin)
    context["repository"] = index
