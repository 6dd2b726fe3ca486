"""Public licence pages, memorandum pages, the acceptance form's target and the acceptance report."""

import csv

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale, get_page_models

from wiki import access

from . import acceptance
from .models import Agreement, Licence, LicenceAcceptance


def _language():
    return (get_language() or "fr")[:2]


def _in_current_locale(queryset):
    return queryset.filter(locale__language_code=_language())


def licensed_page_models():
    """Page models with a `licence` foreign key to Licence (deliverables), found generically."""
    models = []
    for model in get_page_models():
        field = next((f for f in model._meta.local_fields if f.name == "licence"), None)
        if field is not None and field.related_model is Licence:
            models.append(model)
    return models


def works_under(licence, user, language=None):
    """The live pages under `licence` (any translation of it) that `user` may read."""
    language = language or _language()
    works = []
    for model in licensed_page_models():
        queryset = model.objects.filter(
            licence__translation_key=licence.translation_key, locale__language_code=language
        )
        works.extend(access.viewable_pages(user, queryset).order_by("title"))
    return works


@login_not_required
def licence_index(request):
    licences = _in_current_locale(Licence.objects.all()).order_by("title")
    agreements = _in_current_locale(Agreement.objects.all()) if request.user.is_authenticated else []
    return render(request, "licensing/licence_index.html", {"licences": licences, "agreements": agreements})


@login_not_required
def licence_detail(request, spdx_id):
    licences = Licence.objects.filter(spdx_id=spdx_id)
    licence = licences.filter(locale__language_code=_language()).first() or licences.first()
    if licence is None:
        raise Http404
    agreement = licence.agreement.localised(_language()) if licence.agreement_id else None
    return render(
        request,
        "licensing/licence_page.html",
        {
            "licence": licence,
            "summary": licence.summary(_language()).splitlines(),
            # Memoranda are shown to signed-in people only (the private-by-default rule).
            "agreement": agreement if request.user.is_authenticated else None,
            "works": works_under(licence, request.user),
        },
    )


def agreement_detail(request, pk):
    agreement = get_object_or_404(Agreement, pk=pk)
    localised = agreement.localised(_language())
    committee = None
    if localised.steering_committee_key:
        from wiki.models import WorkspacePage

        committees = WorkspacePage.objects.filter(translation_key=localised.steering_committee_key)
        committee = committees.filter(locale__language_code=_language()).first() or committees.first()
    return render(
        request,
        "licensing/agreement_page.html",
        {
            "agreement": localised,
            "committee": committee,
            "signatures": localised.signatures.select_related("party", "party__logo").order_by("sort_order"),
            "amendments": localised.amendments.order_by("date"),
        },
    )


@login_not_required
@require_POST
def accept(request):
    try:
        data = signing.loads(request.POST.get("token", ""), salt=acceptance.SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        raise PermissionDenied from None
    licence = get_object_or_404(Licence, pk=data["licence"])
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if licence.version != data["version"] or request.POST.get("accept") != "yes":
        # The terms changed meanwhile, or the box was not ticked: show the current terms again.
        response = acceptance.gate(request, licence, None, title=data.get("title", ""))
        if response is None:
            return HttpResponseRedirect(next_url)
        response.context_data["object"] = {"title": data.get("title", "")}
        if licence.version != data["version"]:
            response.context_data["changed"] = True
        else:
            response.context_data["error"] = _("Tick the box to accept the terms.")
        # Keep the original destination in the new form.
        response.context_data["token"] = signing.dumps(
            {**data, "version": licence.version}, salt=acceptance.SALT
        )
        response.status_code = 400 if licence.version == data["version"] else 200
        return response
    acceptance.record(request, licence, data.get("object", ""), data.get("title", ""))
    return HttpResponseRedirect(next_url)


# Report ---------------------------------------------------------------------------------------


def can_see_acceptances(user):
    """Editors (permission to view acceptances) and workspace coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("licensing.view_licenceacceptance"):
        return True
    from wiki.models import Membership

    return any(m.is_manager for m in Membership.objects.current().filter(user=user))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise spreadsheet formulas (CSV injection) by prefixing an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def acceptance_report(request):
    if not can_see_acceptances(request.user):
        raise PermissionDenied
    records = LicenceAcceptance.objects.select_related("licence", "user").order_by("-accepted_at")
    spdx = request.GET.get("licence")
    if spdx:
        records = records.filter(licence__spdx_id=spdx)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())
        header = [
            _("Accepted at"),
            _("Person"),
            _("Session"),
            _("Licence"),
            _("Version"),
            _("Object"),
            _("Title"),
            _("Language"),
            _("IP address (truncated)"),
        ]

        def rows():
            yield writer.writerow(header)
            for record in records.iterator(chunk_size=500):
                yield writer.writerow(
                    [
                        csv_safe(timezone.localtime(record.accepted_at).isoformat()),
                        csv_safe(record.user.get_username() if record.user else ""),
                        csv_safe(record.session_key[:8]),
                        csv_safe(record.licence.spdx_id),
                        record.version,
                        csv_safe(record.object_identifier),
                        csv_safe(record.object_title),
                        csv_safe(record.language),
                        csv_safe(record.ip_address),
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="licence-acceptances.csv"'
        return response
    licences = Licence.objects.filter(locale=Locale.get_active()).order_by("title")
    return render(
        request,
        "licensing/acceptance_report.html",
        {"records": records[:500], "total": records.count(), "licences": licences, "selected": spdx or ""},
    )
