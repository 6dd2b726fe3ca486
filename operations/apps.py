from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations and security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import audit, middleware  # noqa: F401
