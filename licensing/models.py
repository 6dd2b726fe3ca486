"""Parties to the memorandum and the agreement that binds them.

`PartnerOrganisation` records are the parties; an `Agreement` (the memorandum of
understanding) names them with their signature dates and points to the Steering Committee
workspace that approves changes to deliverables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index

from wiki.blocks import RICH_FEATURES


class PartnerOrganisation(TranslatableMixin, index.Indexed, models.Model):
    """An organisation that is party to the memorandum (a university centre, the ministry...)."""

    class Kind(models.TextChoices):
        AUC = "auc", _("Affiliated university centre")
        UI = "ui", _("University institute")
        MINISTRY = "ministry", _("Ministry")
        NATIONAL_INSTITUTE = "national_institute", _("National institute")
        KM = "km", _("Knowledge mobilisation organisation")
        ROUND_TABLE = "round_table", _("Round table")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, help_text=_("Full name of the organisation."))
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True, help_text=_("Short form used in credit lines.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("What sort of organisation it is."),
    )
    mission = models.TextField(_("mission"), blank=True, help_text=_("Its mission in a few sentences."))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Shown in attributions; a square or wide image with a transparent background."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("Address of its public site."))

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("kind"),
        FieldPanel("mission"),
        FieldPanel("logo"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("acronym"),
        index.SearchField("mission"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Agreement(TranslatableMixin, ClusterableModel):
    """A memorandum of understanding between partner organisations."""

    title = models.CharField(_("title"), max_length=255, help_text=_("Title of the agreement."))
    effective_date = models.DateField(_("effective date"), help_text=_("When the agreement takes effect."))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("When it ends; empty if open-ended.")
    )
    steering_committee_key = models.UUIDField(
        _("steering committee"),
        null=True,
        blank=True,
        help_text=_("Translation key of the committee workspace that approves changes."),
    )
    committee_dissolved_on = models.DateField(
        _("committee dissolved on"),
        null=True,
        blank=True,
        help_text=_("Empty while the Steering Committee exists."),
    )
    clauses = RichTextField(
        _("clauses"), features=RICH_FEATURES, blank=True, help_text=_("The text of the agreement.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("effective_date"),
        FieldPanel("end_date"),
        FieldPanel("committee_dissolved_on"),
        FieldPanel("clauses"),
        InlinePanel("signatures", label=_("Parties")),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("memorandum of understanding")
        verbose_name_plural = _("memoranda of understanding")

    def __str__(self):
        return self.title


class Signature(Orderable):
    """A party's signature of an agreement."""

    agreement = ParentalKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    party = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, help_text=_("Date of signature."))

    panels = [FieldPanel("party"), FieldPanel("signed_on")]

    class Meta(Orderable.Meta):
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")


class Licence(TranslatableMixin, models.Model):
    """A licence as structured terms: what is granted, to whom, on which conditions.

    Deliverables (`repository`) point to a licence; its human-readable summary is generated
    from these terms, never written by hand. The memorandum's licence names its `agreement`,
    whose parties are both the licensees and the organisations to credit.
    """

    class Attribution(models.TextChoices):
        NONE = "none", _("No attribution required")
        AUTHORS = "authors", _("Credit the authors")
        PARTIES = "parties", _("Names and logos of every party")

    title = models.CharField(_("title"), max_length=255, help_text=_("Name of the licence."))
    spdx_id = models.CharField(
        _("SPDX identifier"),
        max_length=100,
        help_text=_("For example CC-BY-4.0, or LicenseRef-... when SPDX has none."),
    )
    url = models.URLField(_("canonical URL"), blank=True, help_text=_("Where the licence text lives."))
    licensor = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("licensor"),
        help_text=_("The organisation that grants the licence; empty for the authors."),
    )
    agreement = models.ForeignKey(
        Agreement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agreement"),
        help_text=_("When set, the licensees are the parties of this agreement; otherwise everyone."),
    )
    may_reproduce = models.BooleanField(_("reproduce"), default=True, help_text=_("Copies may be made."))
    may_communicate = models.BooleanField(
        _("communicate"), default=True, help_text=_("The work may be communicated to the public.")
    )
    may_disseminate = models.BooleanField(
        _("disseminate electronically"),
        default=True,
        help_text=_("The work may be disseminated by electronic or telecommunication means."),
    )
    may_modify = models.BooleanField(
        _("adapt"), default=True, help_text=_("Adaptations and derived works are allowed.")
    )
    commercial_use = models.BooleanField(
        _("commercial use"), default=True, help_text=_("Commercial use is allowed.")
    )
    exclusive = models.BooleanField(_("exclusive"), default=False, help_text=_("The grant is exclusive."))
    transferable = models.BooleanField(
        _("transferable"), default=True, help_text=_("Licensees may transfer the licence.")
    )
    territory = models.CharField(
        _("territory"),
        max_length=100,
        blank=True,
        help_text=_("Where the licence applies; empty means no territorial limit."),
    )
    duration = models.CharField(
        _("duration"),
        max_length=100,
        blank=True,
        help_text=_("How long the licence lasts; empty means no time limit."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=20,
        choices=Attribution.choices,
        default=Attribution.AUTHORS,
        help_text=_("Whom every copy must credit."),
    )
    approval_required = models.BooleanField(
        _("changes need approval"),
        default=False,
        help_text=_("No change without the prior agreement of the agreement's Steering Committee."),
    )
    survives_agreement = models.BooleanField(
        _("survives the agreement"),
        default=False,
        help_text=_("The licence stays in force after the agreement ends."),
    )
    requires_acceptance = models.BooleanField(
        _("acceptance required"),
        default=False,
        help_text=_("People must accept the terms before their first download."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("spdx_id"),
        FieldPanel("url"),
        FieldPanel("licensor"),
        FieldPanel("agreement"),
        FieldPanel("may_reproduce"),
        FieldPanel("may_communicate"),
        FieldPanel("may_disseminate"),
        FieldPanel("may_modify"),
        FieldPanel("commercial_use"),
        FieldPanel("exclusive"),
        FieldPanel("transferable"),
        FieldPanel("territory"),
        FieldPanel("duration"),
        FieldPanel("attribution"),
        FieldPanel("approval_required"),
        FieldPanel("survives_agreement"),
        FieldPanel("requires_acceptance"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["title"]

    def __str__(self):
        return self.title
