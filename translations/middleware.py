"""Send signed-in readers who arrive at the bare home ("/") to the home page in their language."""

from django.conf import settings
from django.http import HttpResponseRedirect

from .emails import user_language


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
                response = HttpResponseRedirect(f"/{language}/")
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                )
                return response
        return self.get_response(request)
