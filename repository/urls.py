from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path(_("repository/download/<int:page_id>/"), views.download, name="deliverable_download"),
]
