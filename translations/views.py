"""Admin translation status views, the "needs translation" flag, and each reader's language setting."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile

from config.formats.dates import language_in_text
from wiki.access import can_view_page

from .middleware import remember_language
from .models import TranslationRequest
from .status import base_content_type, page_rows, snippet_rows, source_of, summary


class StatusIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Where to look: each workspace, the repository and the translatable records."""

    template_name = "translations/admin/status_index.html"
    page_title = gettext_lazy("Translation status")
    header_icon = "globe"

    def get_context_data(self, **kwargs):
        from repository.models import RepositoryIndexPage
        from wiki.models import WorkspacePage

        context = super().get_context_data(**kwargs)
        default = Locale.get_default()
        context["workspaces"] = WorkspacePage.objects.filter(locale=default).order_by("title")
        context["repositories"] = RepositoryIndexPage.objects.filter(locale=default).order_by("title")
        return context


class PageStatusView(WagtailAdminTemplateMixin, TemplateView):
    """Every page of a subtree (a workspace, the repository) and its state in the other language."""

    template_name = "translations/admin/status.html"
    header_icon = "globe"

    def dispatch(self, request, page_id, *args, **kwargs):
        self.root = get_object_or_404(Page, pk=page_id).specific
        # Not even the title of a subtree the reader may not see (a private workspace).
        if request.user.is_authenticated and not can_view_page(request.user, self.root):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Translation status: %(title)s") % {"title": self.root.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = page_rows(self.request.user, self.root)
        context.update(root=self.root, rows=rows, counts=summary(rows))
        return context


class SnippetStatusView(WagtailAdminTemplateMixin, TemplateView):
    """Partner organisations, memoranda (with their amendments), licences and tag names, and
    their state in the other language."""

    template_name = "translations/admin/status.html"
    page_title = gettext_lazy("Translation status: organisations, memoranda, licences, tags")
    header_icon = "globe"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = snippet_rows(self.request.user)
        context.update(rows=rows, counts=summary(rows))
        return context


class TranslationRequestForm(forms.Form):
    locale = forms.ModelChoiceField(
        queryset=Locale.objects.none(), label=gettext_lazy("Language"), empty_label=None
    )
    note = forms.CharField(
        required=False,
        max_length=255,
        label=gettext_lazy("Note for the translator"),
        help_text=gettext_lazy("Optional: what should be translated or checked."),
    )

    def __init__(self, *args, exclude_locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].queryset = Locale.objects.exclude(pk=exclude_locale)
        self.fields["locale"].label_from_instance = lambda locale: capfirst(locale.get_display_name())


def request_page_translation(request, page_id):
    """Mark a page as needing translation (or an update of its translation) into a language."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    source = source_of(page)
    form = TranslationRequestForm(request.POST or None, exclude_locale=source.locale_id)
    if request.method == "POST" and form.is_valid():
        TranslationRequest.objects.get_or_create(
            content_type=base_content_type(page),
            translation_key=page.translation_key,
            target_locale=form.cleaned_data["locale"],
            resolved_at=None,
            defaults={"note": form.cleaned_data["note"], "requested_by": request.user},
        )
        messages.success(
            request,
            _("“%(title)s” is marked as needing translation into %(language)s.")
            % {"title": page.title, "language": language_in_text(form.cleaned_data["locale"].language_code)},
        )
        return HttpResponseRedirect(reverse("translations_admin:page_status", args=[page.pk]))
    return render(
        request,
        "translations/admin/request.html",
        {"page": page, "form": form, "page_title": _("Mark as needing translation"), "header_icon": "globe"},
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Used for the site, the administration and the emails you receive."),
    )


def language_setting(request):
    """A reader chooses their language: stored on Wagtail's user profile, used everywhere."""
    profile = UserProfile.get_for_user(request.user)
    current = profile.preferred_language or translation.get_language()
    form = LanguageForm(request.POST or None, initial={"language": current})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
        with translation.override(language):
            url = reverse("translations:language")
            messages.success(
                request,
                _("Your language is now English.") if language == "en" else _("Your language is now French."),
            )
        return remember_language(HttpResponseRedirect(url), language)
    return render(request, "translations/language.html", {"form": form})
