"""Private by default: every view needs a signed-in user unless it says otherwise."""

from django.contrib.auth.middleware import LoginRequiredMiddleware


class PrivateByDefaultMiddleware(LoginRequiredMiddleware):
    """Django's login-required middleware, with the prefixes that do their own checks exempt.

    Wagtail's page view is exempt too (see `wiki.views.pages.serve`): it asks `wiki.access`
    for each page through the `before_serve_page` hook, which redirects visitors to the login
    page for anything that is not explicitly public.
    """

    exempt_prefixes = ("/admin/", "/static/", "/favicon.ico", "/robots.txt")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
