from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import tags, views

app_name = "translations"

urlpatterns = [
    path(_("account/language/"), views.language_setting, name="language"),
    path(_("tags/<str:slug>/"), tags.tag_pages, name="tag"),
]
