"""Account views: the page shown after repeated failed logins."""

from django.conf import settings
from django.shortcuts import render


def lockout(request, credentials, *args, **kwargs):
    """Shown instead of the login form once too many attempts have failed (django-axes)."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
