from django.urls import path

from . import views

app_name = "translations_admin"

urlpatterns = [
    path("", views.StatusIndexView.as_view(), name="index"),
    path("page/<int:page_id>/", views.PageStatusView.as_view(), name="page_status"),
    path("records/", views.SnippetStatusView.as_view(), name="snippet_status"),
    path("page/<int:page_id>/request/", views.request_page_translation, name="request_page"),
]
