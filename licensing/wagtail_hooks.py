from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import Agreement, PartnerOrganisation

register_snippet(PartnerOrganisation)
register_snippet(Agreement)


@hooks.register("cop_load_demo")
def load_demo(context):
    from . import demo

    demo.load(context)
