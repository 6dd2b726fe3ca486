"""Parties to the memorandum, the agreement that binds them, licences and acceptances.

`PartnerOrganisation` records are the parties; an `Agreement` (the memorandum of
understanding) names them with their signature dates, carries its clauses and dated
amendments, and points to the Steering Committee workspace that approves changes to
deliverables. A `Licence` is a set of structured terms; every change of terms bumps its
version and leaves a `LicenceVersion` snapshot; a `LicenceAcceptance` records that a person
accepted one version before downloading.
"""

import uuid

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Task, TranslatableMixin
from wagtail.search import index

from wiki.blocks import RICH_FEATURES


class ClauseBlock(blocks.StructBlock):
    """One clause of an agreement: a heading and its text."""

    heading = blocks.CharBlock(label=_("Heading"), help_text=_("For example: Licence, Integrity."))
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Text"))

    class Meta:
        icon = "doc-full"
        label = _("Clause")
        template = "licensing/blocks/clause.html"


class ClauseStreamBlock(blocks.StreamBlock):
    clause = ClauseBlock()


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

    def localised(self, language):
        """This organisation in `language` when a translation exists, else itself."""
        return _in_language(self, language)


class AgreementForm(WagtailAdminModelForm):
    """Lets editors choose the Steering Committee among the committee workspaces, by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "steering_committee_key" in self.fields:
            from wiki.models import WorkspacePage

            committees = WorkspacePage.objects.filter(
                kind=WorkspacePage.Kind.COMMITTEE, locale__language_code=get_language() or "fr"
            )
            if not committees.exists():
                committees = WorkspacePage.objects.filter(kind=WorkspacePage.Kind.COMMITTEE)
            field = self.fields["steering_committee_key"]
            choices = [("", "---------")]
            choices += [(str(w.translation_key), w.title) for w in committees.order_by("title")]
            self.fields["steering_committee_key"] = forms.TypedChoiceField(
                choices=choices,
                coerce=uuid.UUID,
                empty_value=None,
                required=False,
                label=field.label,
                help_text=field.help_text,
            )


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
    base_form_class = AgreementForm

    clauses = StreamField(
        ClauseStreamBlock(),
        blank=True,
        verbose_name=_("clauses"),
        help_text=_("The clauses of the agreement, one block each."),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("end_date")]),
        MultiFieldPanel(
            [FieldPanel("steering_committee_key"), FieldPanel("committee_dissolved_on")],
            heading=_("Steering Committee"),
        ),
        FieldPanel("clauses"),
        InlinePanel("signatures", label=_("Parties")),
        InlinePanel("amendments", label=_("Amendments")),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("memorandum of understanding")
        verbose_name_plural = _("memoranda of understanding")
        ordering = ["-effective_date", "title"]

    def __str__(self):
        return self.title

    def localised(self, language):
        """This agreement in `language` when a translation exists, else itself."""
        return _in_language(self, language)

    def committee_exists(self, on=None):
        """Does the Steering Committee still exist on `on` (today by default)?"""
        if self.steering_committee_key is None:
            return False
        on = on or timezone.localdate()
        return self.committee_dissolved_on is None or on < self.committee_dissolved_on

    def parties(self):
        """The parties in signature order, in the agreement's own language."""
        signatures = self.signatures.select_related("party", "party__logo").order_by("sort_order")
        return [s.party for s in signatures]


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


class Amendment(Orderable):
    """A dated amendment to an agreement, with the short summary circulated to every workspace."""

    agreement = ParentalKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    date = models.DateField(_("date"), help_text=_("When the amendment was signed."))
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One sentence shown to every workspace.")
    )
    text = RichTextField(
        _("text"), features=RICH_FEATURES, blank=True, help_text=_("The full text of the amendment.")
    )

    panels = [FieldPanel("date"), FieldPanel("summary"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")


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
        MultiFieldPanel(
            [
                FieldPanel("version", read_only=True),
                FieldPanel("summary_fr", read_only=True),
                FieldPanel("summary_en", read_only=True),
            ],
            heading=_("Generated from the terms"),
        ),
    ]

    # Generated from the terms on every save: never edited by hand.
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised each time a term changes.")
    )
    summary_fr = models.TextField(_("summary in French"), blank=True, editable=False)
    summary_en = models.TextField(_("summary in English"), blank=True, editable=False)

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from .summary import summarise

        with transaction.atomic():
            # Parties are named in the licence's own language.
            self.licensor = _in_locale(self.licensor, self.locale_id)
            self.agreement = _in_locale(self.agreement, self.locale_id)
            previous = (
                LicenceVersion.objects.filter(licence_key=self.translation_key).order_by("-number").first()
            )
            terms = self.terms()
            changed = previous is None or previous.terms != terms
            if changed and previous is not None:
                self.version = previous.number + 1
            elif previous is not None:
                self.version = previous.number
            self.summary_fr = summarise(self, "fr")
            self.summary_en = summarise(self, "en")
            super().save(*args, **kwargs)
            if changed:
                LicenceVersion.objects.create(
                    licence_key=self.translation_key,
                    number=self.version,
                    terms=terms,
                    summary_fr=self.summary_fr,
                    summary_en=self.summary_en,
                )
                self._share_terms()

    def terms(self):
        """The terms as plain data, the same in every language (party FKs by translation key)."""
        data = {name: getattr(self, name) for name in self.SHARED_TERMS}
        data["licensor"] = str(self.licensor.translation_key) if self.licensor_id else None
        data["agreement"] = str(self.agreement.translation_key) if self.agreement_id else None
        data["territory"] = self.territory
        data["duration"] = self.duration
        return data

    def summary(self, language=None):
        """The generated human-readable summary in `language` (the active one by default)."""
        language = (language or get_language() or "fr")[:2]
        return self.summary_en if language == "en" else self.summary_fr

    def localised(self, language):
        """This licence in `language` when a translation exists, else itself."""
        return _in_language(self, language)

    def _share_terms(self):
        """Copy the language-independent terms and the version to the other translations."""
        for other in Licence.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk):
            for name in self.SHARED_TERMS:
                setattr(other, name, getattr(self, name))
            other.licensor = _in_locale(self.licensor, other.locale_id)
            other.agreement = _in_locale(self.agreement, other.locale_id)
            other.version = self.version
            other.summary_fr = self.summary_fr
            other.summary_en = self.summary_en
            # A plain update: the snapshot for this version already exists.
            Licence.objects.filter(pk=other.pk).update(
                **{name: getattr(other, name) for name in self.SHARED_TERMS},
                licensor=other.licensor,
                agreement=other.agreement,
                version=other.version,
                summary_fr=other.summary_fr,
                summary_en=other.summary_en,
            )

    SHARED_TERMS = [
        "spdx_id",
        "url",
        "may_reproduce",
        "may_communicate",
        "may_disseminate",
        "may_modify",
        "commercial_use",
        "exclusive",
        "transferable",
        "attribution",
        "approval_required",
        "survives_agreement",
        "requires_acceptance",
    ]


def _in_locale(obj, locale_id):
    if obj is None or obj.locale_id == locale_id:
        return obj
    return type(obj).objects.filter(translation_key=obj.translation_key, locale_id=locale_id).first() or obj


def _in_language(obj, language):
    if obj is None:
        return None
    language = (language or "fr")[:2]
    if obj.locale.language_code == language:
        return obj
    return (
        type(obj).objects.filter(translation_key=obj.translation_key, locale__language_code=language).first()
        or obj
    )


class LicenceVersion(models.Model):
    """A snapshot of a licence's terms and generated summaries, one per version number."""

    licence_key = models.UUIDField(
        _("licence"), db_index=True, help_text=_("Translation key of the licence.")
    )
    number = models.PositiveIntegerField(_("version"))
    terms = models.JSONField(_("terms"))
    summary_fr = models.TextField(_("summary in French"))
    summary_en = models.TextField(_("summary in English"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence version")
        verbose_name_plural = _("licence versions")
        ordering = ["licence_key", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_key", "number"], name="licensing_one_snapshot_per_version"
            )
        ]

    def __str__(self):
        return f"{self.licence_key} v{self.number}"


class LicenceAcceptance(models.Model):
    """A person's acceptance of one version of a licence before downloading an object under it.

    Made by `licensing.acceptance`; anonymous people are recorded by session key. The IP
    address is truncated (last IPv4 octet, last 80 bits of IPv6) for privacy.
    """

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("licence")
    )
    licence_key = models.UUIDField(_("licence key"), db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="licence_acceptances",
        verbose_name=_("person"),
    )
    session_key = models.CharField(_("session"), max_length=40, blank=True)
    object_identifier = models.CharField(
        _("object"), max_length=255, help_text=_("What was about to be downloaded.")
    )
    object_title = models.CharField(_("title"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    ip_address = models.CharField(_("IP address (truncated)"), max_length=45, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("licence acceptance")
        verbose_name_plural = _("licence acceptances")
        ordering = ["-accepted_at"]
        indexes = [models.Index(fields=["licence_key", "version", "user"], name="licensing_acceptance_user")]

    def __str__(self):
        who = self.user or _("anonymous visitor")
        return f"{who} – {self.licence} v{self.version}"


class SteeringCommitteeApprovalTask(Task):
    """Workflow step enforcing the integrity clause: the Steering Committee approves changes.

    The approvers are the current members of the Steering Committee workspace of the agreement
    behind the page's licence (`wiki.Membership`). The step approves itself at once, with a
    note in the audit log, when the licence asks for no approval or the committee is dissolved.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("Steering Committee approval")
        verbose_name_plural = _("Steering Committee approvals")

    @staticmethod
    def committee_for(obj):
        """The agreement whose committee must approve `obj` now, or None."""
        obj = getattr(obj, "specific", obj)
        licence = getattr(obj, "licence", None)
        if licence is None or not licence.approval_required or licence.agreement is None:
            return None
        agreement = licence.agreement
        return agreement if agreement.committee_exists() else None

    @staticmethod
    def approver_ids(agreement):
        from wiki.models import Membership

        return set(
            Membership.objects.current()
            .filter(workspace_key=agreement.steering_committee_key)
            .values_list("user_id", flat=True)
        )

    def user_is_approver(self, obj, user):
        if not user.is_authenticated:
            return False
        agreement = self.committee_for(obj)
        return agreement is not None and user.pk in self.approver_ids(agreement)

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        if self.committee_for(workflow_state.content_object) is None:
            # The clause does not apply (any more): record the step as passed, not skipped silently.
            task_state.approve(
                user=None, update=False, comment=str(_("Not required: no committee approval applies."))
            )
        return task_state

    def user_can_access_editor(self, obj, user):
        return self.user_is_approver(obj, user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or self.user_is_approver(obj, user))

    def get_actions(self, obj, user):
        if self.user_is_approver(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from wagtail.models import TaskState

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        ids = [
            state.pk for state in states if self.user_is_approver(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=ids)

    @classmethod
    def get_description(cls):
        return _("Members of the agreement's Steering Committee approve changes, until it is dissolved.")
