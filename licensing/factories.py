"""Test and demo factories for partner organisations and the memorandum that binds them."""

import datetime

import factory
from factory.django import DjangoModelFactory

from .models import Agreement, Amendment, Licence, PartnerOrganisation, Signature


class PartnerOrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Centre universitaire affilié {n}")
    acronym = factory.Sequence(lambda n: f"CUA{n}")
    kind = PartnerOrganisation.Kind.AUC
    mission = "Soutenir la recherche et la pratique en santé et services sociaux."
    website = factory.LazyAttribute(lambda org: f"https://{org.acronym.lower()}.example.org/")

    class Meta:
        model = PartnerOrganisation


class AgreementFactory(DjangoModelFactory):
    title = "Entente de partenariat"
    effective_date = datetime.date(2026, 1, 15)

    class Meta:
        model = Agreement


class SignatureFactory(DjangoModelFactory):
    agreement = factory.SubFactory(AgreementFactory)
    party = factory.SubFactory(PartnerOrganisationFactory)
    signed_on = datetime.date(2026, 1, 15)

    class Meta:
        model = Signature


class AmendmentFactory(DjangoModelFactory):
    agreement = factory.SubFactory(AgreementFactory)
    date = datetime.date(2026, 6, 1)
    summary = "Prolongation de l'entente d'un an."
    text = "<p>Les parties prolongent l'entente d'un an.</p>"

    class Meta:
        model = Amendment


class LicenceFactory(DjangoModelFactory):
    """A licence with permissive defaults; `memorandum_licence()` builds the case's one."""

    title = factory.Sequence(lambda n: f"Licence {n}")
    spdx_id = factory.Sequence(lambda n: f"LicenseRef-Test-{n}")

    class Meta:
        model = Licence


def logo_image(acronym, colour="#0b4f8a"):
    """A small PNG logo, as a Wagtail image in the root collection."""
    import io

    import wagtail_factories
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 48), colour).save(buffer, "PNG")
    return wagtail_factories.ImageFactory(
        title=f"Logo {acronym}", file=ImageFile(buffer, name=f"logo-{acronym.lower()}.png")
    )


def memorandum_licence(parties=3, steering_key=None, dissolved_on=None, **terms):
    """The memorandum's licence: an agreement between `parties` partners with logos, the first
    being the licensor; non-commercial, no adaptation, approval and acceptance required."""
    agreement = AgreementFactory(steering_committee_key=steering_key, committee_dissolved_on=dissolved_on)
    partners = []
    colours = ["#0b4f8a", "#1d6b2b", "#6b1d5e", "#8a3b0b", "#2b3a8a", "#4a5560"]
    for number in range(parties):
        partner = PartnerOrganisationFactory()
        partner.logo = logo_image(partner.acronym, colours[number % len(colours)])
        partner.save()
        SignatureFactory(agreement=agreement, party=partner, sort_order=number)
        partners.append(partner)
    values = {
        "title": "Licence du protocole",
        "spdx_id": "LicenseRef-Test-Memorandum",
        "licensor": partners[0] if partners else None,
        "agreement": agreement,
        "may_modify": False,
        "commercial_use": False,
        "transferable": False,
        "attribution": Licence.Attribution.PARTIES,
        "approval_required": True,
        "survives_agreement": True,
        "requires_acceptance": True,
    }
    values.update(terms)
    return LicenceFactory(**values)
