from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import Agreement, Licence, PartnerOrganisation

register_snippet(PartnerOrganisation)
register_snippet(Agreement)
register_snippet(Licence)


@hooks.register("cop_load_demo")
def load_demo(context):
    from . import demo

    demo.load(context)
