"""Test and demo factories for the repository index, deliverables and their files."""

import datetime

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Collection

from .models import DeliverablePage, RepositoryIndexPage


class DocumentFactory(wagtail_factories.DocumentFactory):
    """A small text document, in the root collection unless `collection=` says otherwise."""

    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(
        lambda doc: ContentFile(f"Contenu de {doc.title}\n".encode(), name="document.txt")
    )


class RepositoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Dépôt institutionnel"
    slug = "depot"

    class Meta:
        model = RepositoryIndexPage


class DeliverablePageFactory(wagtail_factories.PageFactory):
    """A deliverable whose access level is materialised as soon as it is created.

    For `access_level=MEMBERS`, pass `workspace_key` (the originating workspace's translation key).
    """

    title = factory.Sequence(lambda n: f"Livrable {n}")
    abstract = "Un résumé de quelques phrases."
    deliverable_type = DeliverablePage.Type.REPORT
    date_issued = datetime.date(2026, 11, 22)
    access_level = DeliverablePage.Access.PUBLIC

    class Meta:
        model = DeliverablePage
        skip_postgeneration_save = True

    @factory.post_generation
    def file(obj, create, extracted, **kwargs):
        """`file=<Document>` attaches it as the deliverable's first file."""
        if create and extracted is not None:
            from .models import DeliverableFile

            DeliverableFile.objects.create(page=obj, document=extracted, sort_order=0)
            type(obj).objects.filter(pk=obj.pk).update(file=extracted)
            obj.file = extracted

    @factory.post_generation
    def materialised(obj, create, extracted, **kwargs):
        """Publishing effects without a revision: access restriction and identifier."""
        if create and extracted is not False:
            obj.materialise_access()
            from .signals import register_identifier

            register_identifier(obj)


class DeliverableFileFactory(factory.django.DjangoModelFactory):
    """A file of a deliverable; its size, type and hash are computed from the document on save."""

    page = factory.SubFactory(DeliverablePageFactory)
    document = factory.SubFactory(DocumentFactory)
    label = ""

    class Meta:
        model = "repository.DeliverableFile"


class DeliverableCreatorFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(DeliverablePageFactory)
    family_name = "Tremblay"
    given_name = "Marie-Claude"
    affiliation = "CIUSSS de la Capitale-Nationale"

    class Meta:
        model = "repository.DeliverableCreator"
