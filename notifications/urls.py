from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "notifications"

urlpatterns = [
    path(_("notifications/"), views.preferences, name="preferences"),
    path(_("notifications/watch/<int:page_id>/"), views.watch, name="watch"),
    path(_("notifications/unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
]
