"""Keep pages that carry a licence under the Steering Committee workflow, and guard every
publication of one with the integrity clause (see `integrity`)."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, Revision


def _has_licence(model):
    try:
        field = model._meta.get_field("licence")
    except FieldDoesNotExist:
        return False
    return getattr(
        field.remote_field, "model", None
    ) is not None and field.remote_field.model._meta.label == ("licensing.Licence")


@receiver(post_save)
def put_licensed_pages_under_the_committee_workflow(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Page) or not _has_licence(sender):
        return
    from .integrity import ensure_workflow_for

    ensure_workflow_for(instance)


def _licence(model, licence_id):
    if licence_id is None:
        return None
    return model._meta.get_field("licence").related_model.objects.filter(pk=licence_id).first()


@receiver(pre_save)
def integrity_clause_guards_every_publication(sender, instance, raw=False, **kwargs):
    """Before a licensed page is saved with a newly live revision: the committee must have approved."""
    if raw or not isinstance(instance, Page) or not _has_licence(sender):
        return
    if instance.pk is None or not instance.live or instance.live_revision_id is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("live", "live_revision_id", "licence_id").first()
    if before is None or (before["live"] and before["live_revision_id"] == instance.live_revision_id):
        return
    from .integrity import check_publication

    check_publication(instance, instance.live_revision, _licence(sender, before["licence_id"]))


@receiver(pre_save, sender=Revision)
def integrity_clause_guards_scheduled_publication(sender, instance, raw=False, **kwargs):
    """Before a revision of a licensed page is scheduled to go live by itself later."""
    if raw or instance.approved_go_live_at is None or instance.pk is None:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None or not issubclass(model, Page) or not _has_licence(model):
        return
    page = model.objects.filter(pk=instance.object_id).first()
    if page is None:
        return
    from .integrity import check_publication

    check_publication(instance.as_object(), instance, page.licence)
