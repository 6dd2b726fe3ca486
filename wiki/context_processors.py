from django.conf import settings


def languages(request):
    return {"SITE_LANGUAGES": settings.LANGUAGES}
