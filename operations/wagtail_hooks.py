"""Labels of the audit actions that `operations.audit` writes, so that Wagtail's reports show them."""

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
}


@hooks.register("register_log_actions")
def register_cop_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
