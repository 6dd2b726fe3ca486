"""Test and demo factories for partner organisations and the memorandum that binds them."""

import datetime

import factory
from factory.django import DjangoModelFactory

from .models import Agreement, PartnerOrganisation, Signature


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
