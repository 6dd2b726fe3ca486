from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .views import guests, history, images, pages, workspace

# Addresses people see are translated (French slugs under /fr/), like the account pages.
wiki_patterns = [
    path(_("<int:workspace_id>/members/"), workspace.members, name="members"),
    path(
        _("<int:workspace_id>/members/<int:membership_id>/role/"), workspace.change_role, name="change_role"
    ),
    path(
        _("<int:workspace_id>/members/<int:membership_id>/end/"),
        workspace.end_membership,
        name="end_membership",
    ),
    path(
        _("<int:workspace_id>/requests/<int:request_id>/<str:decision>/"),
        workspace.decide_request,
        name="decide_request",
    ),
    path(_("<int:workspace_id>/invite/"), workspace.invite, name="invite"),
    path(
        _("<int:workspace_id>/invitations/<int:invitation_id>/revoke/"),
        workspace.revoke_invitation,
        name="revoke_invitation",
    ),
    path("invitation/<str:token>/", workspace.accept_invitation, name="accept_invitation"),
    path(_("<int:workspace_id>/join/"), workspace.join, name="join"),
    path(_("<int:workspace_id>/leave/"), workspace.leave, name="leave"),
    path(_("<int:workspace_id>/calendar/"), workspace.calendar, name="calendar"),
    path(_("calendar/<str:token>.ics"), workspace.calendar_feed, name="calendar_feed"),
    path(_("<int:workspace_id>/new-page/"), history.create_page, name="create_page"),
    path("images/<int:image_id>/<str:filter_spec>/", images.image, name="image"),
    path("documents/<int:document_id>/<str:filename>", guests.guest_document, name="guest_document"),
    path(_("pages/<int:page_id>/history/"), history.history, name="history"),
    path(_("pages/<int:page_id>/compare/<int:old_id>/<int:new_id>/"), history.compare, name="compare"),
    path(_("pages/<int:page_id>/restore/<int:revision_id>/"), history.restore, name="restore"),
]

urlpatterns = [
    path("wiki/", include((wiki_patterns, "wiki"))),
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
