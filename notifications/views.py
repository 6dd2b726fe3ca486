"""My notifications (preferences and watched pages), the watch button, and unsubscribing."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from wiki import access
from wiki.models import WorkspacePage

from . import mail, reading
from . import preferences as prefs
from .forms import PreferencesForm
from .models import EmailSettings, PageReader, WorkspaceSubscription
from .wagtail_hooks import READ_TRACKED


def _in_language(pages, language):
    """One copy per translation key, in `language` when it exists."""
    chosen = {}
    for page in pages:
        if page.translation_key not in chosen or page.locale.language_code == language:
            chosen[page.translation_key] = page
    return chosen


@require_http_methods(["GET", "POST"])
def preferences(request):
    """My notifications: digest and meeting choices per workspace, no email at all, watched pages."""
    user = request.user
    language = get_language()
    subs = prefs.subscriptions(user)
    workspaces = _in_language(
        WorkspacePage.objects.filter(translation_key__in=[s.workspace_key for s in subs]).select_related(
            "locale"
        ),
        language,
    )
    rows = [(workspaces[s.workspace_key], s) for s in subs if s.workspace_key in workspaces]
    settings_row, _created = EmailSettings.objects.get_or_create(user=user)
    form = PreferencesForm(request.POST or None, rows=rows, initial={"no_email": settings_row.no_email})
    if request.method == "POST" and form.is_valid():
        form.save()
        settings_row.no_email = form.cleaned_data["no_email"]
        settings_row.save(update_fields=["no_email"])
        messages.success(request, _("Your email choices are saved."))
        return redirect("notifications:preferences")
    watched_keys = PageReader.objects.filter(user=user, watching=True).values_list("page_key", flat=True)
    watched = _in_language(
        access.viewable_pages(user, Page.objects.filter(translation_key__in=watched_keys))
        .select_related("locale")
        .order_by("title"),
        language,
    )
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "watched": sorted(watched.values(), key=lambda p: p.title.lower())},
    )


@require_POST
def watch(request, page_id):
    """Start or stop watching a page (a POST from the button on the page)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, READ_TRACKED) or not access.can_view_page(request.user, page):
        raise PermissionDenied
    reader = PageReader.objects.filter(user=request.user, page_key=page.translation_key).first()
    watching = not (reader and reader.watching)
    if "watching" in request.POST:
        watching = request.POST["watching"] == "1"
    prefs.set_watching(request.user, page.translation_key, watching)
    reading.watch_changed(request)
    if watching:
        messages.success(
            request,
            _("You are watching “%(title)s”: its changes will be in your digest.") % {"title": page.title},
        )
    else:
        messages.success(request, _("You no longer watch “%(title)s”.") % {"title": page.title})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = page.url
    return redirect(target)


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link of every email: no login. GET shows the choices; POST applies one.

    A mail program's RFC 8058 one-click POST (body `List-Unsubscribe=One-Click`) and the
    page's first button turn off what the email was about; the second button stops all email.
    The token is signed, so only its recipient can use it, and it can only turn mail off:
    that is why the view needs no CSRF token (mail programs have none).
    """
    try:
        user_id, kind, keys = mail.read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_id)
    except (signing.BadSignature, ValueError, TypeError, KeyError, get_user_model().DoesNotExist):
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    language = get_language()
    workspaces = list(
        _in_language(
            WorkspacePage.objects.filter(translation_key__in=keys).select_related("locale"), language
        ).values()
    )
    done = None
    if request.method == "POST":
        scope = request.POST.get("scope", "this")
        if scope == "all":
            EmailSettings.objects.update_or_create(user=user, defaults={"no_email": True})
            done = "all"
        elif kind == mail.WATCHED:
            PageReader.objects.filter(user=user, watching=True).update(watching=False, watched_since=None)
            done = kind
        else:
            field = "meetings" if kind == mail.MEETINGS else "digest"
            value = False if kind == mail.MEETINGS else "off"
            for key in keys:
                WorkspaceSubscription.objects.update_or_create(
                    user=user, workspace_key=key, defaults={field: value}
                )
            done = kind
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": kind, "workspaces": workspaces, "done": done, "token": token, "person": user},
    )
