"""Participants no longer hold the right to lock pages: only the roles that manage a workspace
do (see wiki.access.MEMBER_PAGE_PERMISSIONS). Takes the right back from the members' groups."""

from django.db import migrations


def take_back_lock(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkspaceAccess = apps.get_model("wiki", "WorkspaceAccess")
    members_groups = WorkspaceAccess.objects.values("members_group_id")
    GroupPagePermission.objects.filter(group_id__in=members_groups, permission__codename="lock_page").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0002_workspace_design_meetings_membership_links"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(take_back_lock, migrations.RunPython.noop)]
