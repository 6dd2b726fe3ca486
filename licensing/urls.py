from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "licensing"

urlpatterns = [
    path(_("licences/"), views.licence_index, name="licences"),
    path(_("licences/acceptances/"), views.acceptance_report, name="acceptances"),
    path(_("licences/accept/"), views.accept, name="accept"),
    path(_("licences/memoranda/<int:pk>/"), views.agreement_detail, name="agreement"),
    path(_("licences/<str:spdx_id>/"), views.licence_detail, name="licence"),
]
