"""Who may download the files of a deliverable: its access level (the one rule), then its embargo."""

from wiki import access


def is_workspace_insider(user, page):
    """Members of the originating workspace, and people who may edit the deliverable."""
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    if page.workspace_key and page.workspace_key in access.member_workspace_keys(user):
        return True
    return page.permissions_for_user(user).can_edit()


def can_download(user, page):
    """May `user` download the files of `page` today?

    Readers of the page may, except while an embargo runs: then only insiders may.
    """
    if not access.can_view_page(user, page):
        return False
    if page.under_embargo:
        return is_workspace_insider(user, page)
    return True
