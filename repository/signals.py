from django.dispatch import receiver
from wagtail.signals import page_published

from .models import DeliverablePage


@receiver(page_published, sender=DeliverablePage)
def deliverable_published(sender, instance, **kwargs):
    instance.materialise_access()
