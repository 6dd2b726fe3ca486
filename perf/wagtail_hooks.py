from wagtail import hooks

from . import cache


@hooks.register("before_serve_page", order=100)
def mark_public_page(page, request, serve_args, serve_kwargs):
    """Mark a page served to an anonymous visitor as public (cacheable for everyone).

    Runs after `wiki.wagtail_hooks.check_page_access` (order -100), which asks the one access
    rule and answers with a redirect unless anonymous visitors may read the page: reaching
    this hook without a user means the rule said yes, so no second check (and no query) here.
    The page type's own flag is checked again as a cheap guard.
    """
    if not request.user.is_authenticated and getattr(page.specific_class, "anonymous_readable", False):
        setattr(request, cache.PUBLIC_MARK, True)
