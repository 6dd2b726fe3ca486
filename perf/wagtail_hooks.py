from django.contrib.auth.models import AnonymousUser
from wagtail import hooks

from wiki import access

from . import cache


@hooks.register("before_serve_page", order=100)
def mark_public_page(page, request, serve_args, serve_kwargs):
    """A page is public (cacheable for everyone) only if the access rule shows it to anonymous
    visitors, whoever is asking now."""
    if not request.user.is_authenticated and access.can_view_page(AnonymousUser(), page):
        setattr(request, cache.PUBLIC_MARK, True)
