from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "operations"
urlpatterns = [
    path(_("audit/<int:workspace_id>/"), views.workspace_trail, name="workspace_trail"),
]
