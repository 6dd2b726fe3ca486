"""Send signed-in readers who arrive at the bare home ("/") to the home page in their language;
check page permissions in front of wagtail-localize's translate and sync views."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from .emails import user_language


def remember_language(response, language):
    """Set Django's language cookie on `response`, as its own set_language view does, so that
    addresses without a language prefix use `language` from now on."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


class UserLanguageMiddleware:
    """After login (LOGIN_REDIRECT_URL is "/") or any visit to "/", use the user's chosen language.

    Only the bare home is concerned: an address with a language prefix says which language
    the reader asked for, and Django's LocaleMiddleware handles other unprefixed addresses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path == "/" and user is not None and user.is_authenticated:
            language = user_language(user, default=None)
            if language:
                return remember_language(HttpResponseRedirect(f"/{language}/"), language)
        return self.get_response(request)


class LocalizePermissionMiddleware:
    """wagtail-localize's "Translate" and "Sync translations" views check only the global
    `submit_translation` permission, which every workspace member has (so that they can write
    in both languages). Without this check member-b could translate, and so copy into a new
    page, any page of workspace A. A page may be translated or synced only by people who may
    edit it; a snippet only by people who may change that kind of record.
    """

    PAGE_VIEWS = {"submit_page_translation"}
    SNIPPET_VIEWS = {"submit_snippet_translation"}
    SOURCE_VIEWS = {"update_translations"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "wagtail_localize":
            return None
        name = match.url_name
        if name in self.PAGE_VIEWS:
            page = Page.objects.filter(pk=view_kwargs.get("page_id")).first()
            allowed = page is None or page.permissions_for_user(request.user).can_edit()
        elif name in self.SNIPPET_VIEWS:
            app_label, model_name = view_kwargs.get("app_label"), view_kwargs.get("model_name")
            allowed = request.user.has_perm(f"{app_label}.change_{model_name}")
        elif name in self.SOURCE_VIEWS:
            source = TranslationSource.objects.filter(pk=view_kwargs.get("translation_source_id")).first()
            instance = source.get_source_instance() if source is not None else None
            if isinstance(instance, Page):
                allowed = instance.permissions_for_user(request.user).can_edit()
            elif instance is not None:
                opts = type(instance)._meta
                allowed = request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
            else:
                allowed = True  # wagtail-localize answers 404 itself
        else:
            return None
        if not allowed:
            raise PermissionDenied
        return None
