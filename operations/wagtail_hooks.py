"""Labels of the audit actions that `operations.audit` writes, so that Wagtail's reports show them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = {
    "cop.membership.add": (_("Add membership"), _("Membership added")),
    "cop.membership.change": (_("Change membership"), _("Membership changed")),
    "cop.membership.remove": (_("Remove membership"), _("Membership removed")),
    "cop.permission.group_add": (_("Add to group"), _("Added to group")),
    "cop.permission.group_remove": (_("Remove from group"), _("Removed from group")),
    "cop.permission.grant": (_("Grant permission"), _("Permission granted")),
    "cop.permission.revoke": (_("Revoke permission"), _("Permission revoked")),
    "cop.download": (_("Download restricted file"), _("Restricted file downloaded")),
    "cop.login_failed": (_("Failed login"), _("Failed login")),
    "cop.two_factor.enable": (_("Turn on two-step sign-in"), _("Two-step sign-in turned on")),
    "cop.two_factor.disable": (_("Turn off two-step sign-in"), _("Two-step sign-in turned off")),
    "cop.two_factor.reset": (_("Reset two-step sign-in"), _("Two-step sign-in reset by an administrator")),
    "cop.two_factor.failed": (_("Wrong sign-in code"), _("Wrong second-step sign-in code")),
}


@hooks.register("register_log_actions")
def register_cop_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("cop_scan_upload")
def scan_upload(uploaded):
    """Virus scan of every upload (see operations.scan); raises a ValidationError to refuse."""
    from .scan import scan_upload

    scan_upload(uploaded)


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    """The administration's account page links to two-step sign-in (operations.twofactor)."""
    return {
        "url": reverse("operations:two_factor_account"),
        "label": _("Two-step sign-in"),
        "help_text": _("Ask for a code from an authenticator app after your password."),
    }
