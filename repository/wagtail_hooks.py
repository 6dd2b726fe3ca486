from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from wiki import access

from .models import DeliverablePage


@hooks.register("cop_home_panels")
def latest_deliverables(request, home):
    """The home page's list of the latest deliverables the reader may see."""
    deliverables = access.viewable_pages(
        request.user, DeliverablePage.objects.filter(locale=home.locale)
    ).order_by("-date_issued", "-first_published_at")[:6]
    heading = _("Latest deliverables") if request.user.is_authenticated else _("Public deliverables")
    return render_to_string(
        "repository/includes/latest_deliverables.html",
        {"deliverables": deliverables, "heading": heading, "request": request},
    )


@hooks.register("cop_load_demo")
def load_demo(context):
    from . import demo

    demo.load(context)
