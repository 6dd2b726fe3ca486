"""The licensing part of the demo: the six partner organisations and the memorandum."""

import datetime
import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from wiki.demo_utils import ensure_snippet_translation, locales

from .models import Agreement, Amendment, Licence, PartnerOrganisation, Signature
from .standard import MEMORANDUM_SPDX

CLAUSES_FR = [
    (
        "Licence",
        "<p>Le CLIPP accorde à tous les partenaires du projet, sans limite de territoire ni de "
        "durée, une licence non exclusive et non transférable leur permettant, à des fins non "
        "commerciales, de reproduire, de communiquer et de diffuser par des moyens électroniques ou "
        "de télécommunication les rapports, documents et autres biens produits dans le cadre du "
        "projet.</p>",
    ),
    (
        "Mention de source",
        "<p>Le nom et le logo de chaque partie figurent sur chaque rapport, document ou autre "
        "bien produit.</p>",
    ),
    (
        "Intégrité",
        "<p>Aucune modification sans l'accord préalable du comité directeur, tant que ce comité existe.</p>",
    ),
    ("Survie", "<p>Cette clause survit à la fin de l'entente.</p>"),
]
CLAUSES_EN = [
    (
        "Licence",
        "<p>The CLIPP grants all project partners, without territorial or time limits, a "
        "non-exclusive and non-transferable licence to reproduce, communicate and disseminate, for "
        "non-commercial purposes and by electronic or telecommunication means, the reports, "
        "documents and other property produced during the project.</p>",
    ),
    (
        "Attribution",
        "<p>The name and logo of every party appear on every report, document or other "
        "property produced.</p>",
    ),
    (
        "Integrity",
        "<p>No change without the prior agreement of the Steering Committee, as long as it exists.</p>",
    ),
    ("Survival", "<p>This clause survives the end of the agreement.</p>"),
]
AMENDMENT_DATE = datetime.date(2014, 6, 2)
AMENDMENT_FR = (
    "Prolongation du projet jusqu'au 28 février 2015 et ajout de la communauté de pratique D.",
    "<p>Les parties conviennent de prolonger le projet jusqu'au 28 février 2015 et d'y ajouter la "
    "communauté de pratique D (intervention de quartier).</p>",
)
AMENDMENT_EN = (
    "Project extended to February 28, 2015, and community of practice D added.",
    "<p>The parties agree to extend the project to February 28, 2015, and to add community of "
    "practice D (neighbourhood intervention).</p>",
)


def _clauses(clauses):
    return [("clause", {"heading": heading, "text": RichText(text)}) for heading, text in clauses]


PARTNERS = [
    {
        "acronym": "CLIPP",
        "kind": PartnerOrganisation.Kind.KM,
        "colour": "#0b4f8a",
        "name": "Centre de liaison sur l'intervention et la prévention psychosociales",
        "en_name": "Centre for Liaison on Intervention and Prevention in the Psychosocial Area",
        "mission": (
            "Organisme sans but lucratif spécialisé en mobilisation des connaissances dans le "
            "domaine psychosocial; il dirige le projet."
        ),
        "en_mission": (
            "A non-profit organisation specialised in knowledge mobilisation in the psychosocial "
            "field; it leads the project."
        ),
    },
    {
        "acronym": "CAU",
        "en_acronym": "AUC",
        "kind": PartnerOrganisation.Kind.AUC,
        "colour": "#1d6b2b",
        "name": "Centres affiliés universitaires à vocation sociale",
        "en_name": "Affiliated university centres with a social vocation",
        "mission": (
            "Développer l'excellence des services et les connaissances, et soutenir la prise de "
            "décision clinique et de gestion, notamment par des pratiques de pointe."
        ),
        "en_mission": (
            "Develop service excellence and knowledge, and support clinical and management "
            "decisions, notably through leading-edge practices."
        ),
    },
    {
        "acronym": "IU",
        "en_acronym": "UI",
        "kind": PartnerOrganisation.Kind.UI,
        "colour": "#6b1d5e",
        "name": "Instituts universitaires à vocation sociale",
        "en_name": "University institutes with a social vocation",
        "mission": (
            "La même mission que les centres affiliés universitaires, avec des responsabilités "
            "supplémentaires."
        ),
        "en_mission": "The same mission as affiliated university centres, with added responsibilities.",
    },
    {
        "acronym": "INESSS",
        "kind": PartnerOrganisation.Kind.NATIONAL_INSTITUTE,
        "colour": "#8a3b0b",
        "name": "Institut national d'excellence en santé et en services sociaux",
        "en_name": "National institute for excellence in health and social services",
        "mission": (
            "Promouvoir l'excellence clinique et l'utilisation efficace des ressources dans le "
            "secteur de la santé et des services sociaux."
        ),
        "en_mission": (
            "Promote clinical excellence and the efficient use of resources in the health and "
            "social services sector."
        ),
    },
    {
        "acronym": "MSSS",
        "kind": PartnerOrganisation.Kind.MINISTRY,
        "colour": "#2b3a8a",
        "name": "Ministère de la Santé et des Services sociaux",
        "en_name": "Ministry of Health and Social Services",
        "mission": (
            "Maintenir, améliorer et rétablir la santé et le bien-être de la population "
            "québécoise en rendant accessibles des services intégrés et de qualité."
        ),
        "en_mission": (
            "Maintain, improve and restore the health and well-being of Quebecers by providing "
            "access to integrated, high-quality services."
        ),
    },
    {
        "acronym": "Table CSSS-CAU",
        "kind": PartnerOrganisation.Kind.ROUND_TABLE,
        "colour": "#4a5560",
        "name": "Table des centres de santé et de services sociaux – centres affiliés universitaires",
        "en_name": "Round table of health and social services centres – affiliated university centres",
        "mission": (
            "Coordonner et faire rayonner la recherche et les pratiques de pointe de ces "
            "établissements, et favoriser les partenariats entre eux."
        ),
        "en_mission": (
            "Coordinate and showcase the research and leading-edge practices of these "
            "institutions, and foster partnerships between them."
        ),
    },
]


def _logo(acronym, colour):
    """A generated logo: the acronym in white on the organisation's colour."""
    Image = get_image_model()
    title = f"Logo {acronym}"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    collection = Collection.get_first_root_node()
    logos = collection.get_children().filter(name="Logos").first() or collection.add_child(name="Logos")
    canvas = PILImage.new("RGB", (400, 160), colour)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=44 if len(acronym) < 8 else 30)
    box = draw.textbbox((0, 0), acronym, font=font)
    draw.text(((400 - box[2]) / 2, (160 - box[3]) / 2), acronym, fill="white", font=font)
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    slug = acronym.lower().replace(" ", "-")
    image = Image(title=title, collection=logos)
    image.file = ImageFile(buffer, name=f"logo-{slug}.png")
    image.save()
    return image


def ensure_partners():
    fr, _ = locales()
    partners = []
    for spec in PARTNERS:
        partner = PartnerOrganisation.objects.filter(locale=fr, acronym=spec["acronym"]).first()
        if partner is None:
            partner = PartnerOrganisation(locale=fr, acronym=spec["acronym"])
        partner.name = spec["name"]
        partner.kind = spec["kind"]
        partner.mission = spec["mission"]
        partner.logo = _logo(spec["acronym"], spec["colour"])
        partner.save()
        ensure_snippet_translation(
            partner,
            {
                "name": spec["en_name"],
                "acronym": spec.get("en_acronym", spec["acronym"]),
                "mission": spec["en_mission"],
                "kind": partner.kind,
                "logo": partner.logo,
            },
        )
        partners.append(partner)
    return partners


def ensure_memorandum(partners, steering_key):
    fr, _ = locales()
    title = "Protocole d'entente du projet de mobilisation des connaissances"
    agreement = Agreement.objects.filter(locale=fr, title=title).first() or Agreement(locale=fr, title=title)
    agreement.effective_date = datetime.date(2012, 9, 1)
    agreement.end_date = datetime.date(2015, 2, 28)
    agreement.steering_committee_key = steering_key
    agreement.clauses = _clauses(CLAUSES_FR)
    agreement.save()
    signed = {s.party_id for s in agreement.signatures.all()}
    for number, partner in enumerate(partners):
        if partner.pk not in signed:
            Signature.objects.create(
                agreement=agreement,
                party=partner,
                signed_on=datetime.date(2012, 9, 1) + datetime.timedelta(days=7 * number),
                sort_order=number,
            )
    ensure_snippet_translation(
        agreement,
        {
            "title": "Memorandum of understanding of the knowledge mobilisation project",
            "effective_date": agreement.effective_date,
            "end_date": agreement.end_date,
            "steering_committee_key": steering_key,
            "clauses": _clauses(CLAUSES_EN),
        },
    )
    return agreement


def ensure_amendment(agreement):
    """The amendment that extended the project, in both languages."""
    fr, en = locales()
    for target, summary, text in (
        (agreement, AMENDMENT_FR[0], AMENDMENT_FR[1]),
        (agreement.get_translation_or_none(en), AMENDMENT_EN[0], AMENDMENT_EN[1]),
    ):
        if target is None or target.amendments.filter(date=AMENDMENT_DATE).exists():
            continue
        Amendment.objects.create(
            agreement=target, date=AMENDMENT_DATE, summary=summary, text=text, sort_order=0
        )


def ensure_licences(agreement, partners):
    """Link the shipped memorandum licence to the memorandum and its licensor, the KM organisation."""
    fr, _ = locales()
    licences = {licence.spdx_id: licence for licence in Licence.objects.filter(locale=fr)}
    memorandum_licence = licences.get(MEMORANDUM_SPDX)
    if memorandum_licence is None:
        memorandum_licence = Licence(
            locale=fr, spdx_id=MEMORANDUM_SPDX, title="Licence du protocole d'entente", attribution="parties"
        )
    memorandum_licence.agreement = agreement
    memorandum_licence.licensor = partners[0]
    memorandum_licence.save()
    ensure_snippet_translation(memorandum_licence, {"title": "Memorandum of understanding licence"})
    licences[MEMORANDUM_SPDX] = memorandum_licence
    return licences


def load(context):
    """Partners, the memorandum and its amendment, the licences.

    Puts ``context["licences"]`` (French licences by SPDX identifier, e.g.
    ``context["licences"]["LicenseRef-CoP-Memorandum"]``) for the repository's demo step, which
    runs after this one and assigns them to the demo deliverables.
    """
    partners = ensure_partners()
    context["partners"] = partners
    memorandum = ensure_memorandum(partners, context["workspaces"]["steering"].translation_key)
    context["memorandum"] = memorandum
    ensure_amendment(memorandum)
    context["licences"] = ensure_licences(memorandum, partners)


def assign_memorandum_licence(context):
    """Put the demo's deliverables that have no licence yet under the memorandum licence.

    Runs after the repository's demo step; finds licensed pages generically (licensing does
    not import repository).
    """
    from .views import licensed_page_models

    licence = context.get("licences", {}).get(MEMORANDUM_SPDX)
    if licence is None:
        return
    for model in licensed_page_models():
        for page in model.objects.filter(licence__isnull=True, live=True).select_related("locale"):
            page.licence = licence.localised(page.locale.language_code)
            page.save_revision(log_action=True).publish()
