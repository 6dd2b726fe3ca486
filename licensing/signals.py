"""Keep pages that carry a licence under the Steering Committee workflow (see `integrity`)."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import Page


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
