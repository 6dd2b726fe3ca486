from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import deposit, feeds, views

urlpatterns = [
    path(_("repository/download/<int:page_id>/"), views.download, name="deliverable_download"),
    path(_("repository/file/<int:file_id>/"), views.download_file, name="deliverable_file"),
    path(_("repository/id/<str:identifier>/"), views.permalink, name="deliverable_permalink"),
    path(
        _("repository/id/<str:identifier>/v<int:version>/"),
        views.permalink,
        name="deliverable_version_permalink",
    ),
    path(_("repository/cite/<int:page_id>.<str:fmt>"), views.cite, name="deliverable_cite"),
    path(_("repository/files/<int:page_id>/add/"), views.add_file, name="deliverable_add_file"),
    path(_("repository/deposit/<int:page_id>/"), deposit.deposit_view, name="deliverable_deposit"),
    path(_("repository/statistics/"), views.dashboard, name="repository_statistics"),
    path(_("repository/statistics.csv"), views.dashboard_csv, name="repository_statistics_csv"),
    path(_("repository/feed.atom"), feeds.new_deliverables_feed, name="repository_feed"),
]
