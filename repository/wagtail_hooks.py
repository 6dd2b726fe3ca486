from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

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


@hooks.register("cop_editor_actions")
def deposit_button(request, page):
    """ "Deposit in the repository" next to "Edit this page", for the workspace's coordinators."""
    from .deposit import may_deposit

    if request is None or not may_deposit(request.user, page.specific):
        return ""
    return render_to_string(
        "repository/includes/deposit_button.html",
        {"url": reverse("deliverable_deposit", args=[page.pk])},
        request=request,
    )


@hooks.register("register_page_header_buttons")
def deposit_header_button(page, user, view_name, next_url=None):
    """The same action in the admin's page header (wiki pages and meetings only)."""
    from .deposit import DEPOSITABLE, may_deposit

    if issubclass(page.specific_class or type(page), DEPOSITABLE) and may_deposit(user, page.specific):
        yield Button(
            _("Deposit in the repository"), reverse("deliverable_deposit", args=[page.pk]), priority=80
        )
