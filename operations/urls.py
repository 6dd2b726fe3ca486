from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import twofactor, views

app_name = "operations"
urlpatterns = [
    path(_("audit/<int:workspace_id>/"), views.workspace_trail, name="workspace_trail"),
    # Two-step sign-in (operations.twofactor).
    path(_("account/two-step/"), twofactor.account, name="two_factor_account"),
    path(_("account/two-step/setup/"), twofactor.setup, name="two_factor_setup"),
    path(_("account/two-step/verify/"), twofactor.verify, name="two_factor_verify"),
    path(_("account/two-step/off/"), twofactor.disable, name="two_factor_disable"),
    path(_("account/two-step/recovery-codes/"), twofactor.recovery_codes, name="two_factor_recovery_codes"),
]
