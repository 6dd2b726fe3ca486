from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import pages

urlpatterns = [
    path(_("account/login/"), auth_views.LoginView.as_view(), name="login"),
    path(_("account/logout/"), auth_views.LogoutView.as_view(), name="logout"),
    path(
        _("account/password-reset/"),
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        _("account/password-reset/sent/"),
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        _("account/reset/<uidb64>/<token>/"),
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        _("account/reset/done/"),
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        _("translation-missing/<int:page_id>/"),
        pages.translation_missing,
        name="translation_missing",
    ),
]
