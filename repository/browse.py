"""Browsing the repository: the deliverables a reader may see, filtered and paged."""

from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from wiki import access
from wiki.models import WorkspacePage

PAGE_SIZE = 20


def browse_context(request, index):
    from .models import DeliverablePage

    visible = access.viewable_pages(request.user, DeliverablePage.objects.child_of(index))
    filtered = visible
    params = request.GET
    chosen = {}

    workspace = params.get("workspace", "")
    workspaces = WorkspacePage.objects.filter(
        locale=index.locale, translation_key__in=visible.values("workspace_key")
    ).order_by("title")
    keys = {str(w.translation_key): w for w in workspaces}
    if workspace in keys:
        filtered = filtered.filter(workspace_key=keys[workspace].translation_key)
        chosen["workspace"] = workspace

    kind = params.get("type", "")
    if kind in DeliverablePage.Type.values:
        filtered = filtered.filter(deliverable_type=kind)
        chosen["type"] = kind

    year = params.get("year", "")
    if year.isdigit():
        filtered = filtered.filter(date_issued__year=int(year))
        chosen["year"] = year

    subject = params.get("subject", "")
    if subject:
        filtered = filtered.filter(tags__slug=subject)
        chosen["subject"] = subject

    licence = params.get("licence", "")
    if licence.isdigit():
        filtered = filtered.filter(licence_id=int(licence))
        chosen["licence"] = licence

    language = params.get("language", "")
    if language in {"fr", "en"}:
        filtered = filtered.filter(languages__contains=language)
        chosen["language"] = language

    years = (
        visible.exclude(date_issued=None)
        .annotate(year=ExtractYear("date_issued"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    from taggit.models import Tag

    subjects = Tag.objects.filter(repository_deliverablepagetag_items__content_object__in=visible).distinct()
    from licensing.models import Licence

    licences = Licence.objects.filter(pk__in=visible.values("licence_id")).order_by("title")

    paginator = Paginator(
        filtered.distinct().order_by("-date_issued", "title"),
        PAGE_SIZE,
    )
    page_obj = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    from .views import may_see_dashboard

    return {
        "may_see_statistics": may_see_dashboard(request.user),
        "deliverables": page_obj,
        "page_obj": page_obj,
        "filter_query": query.urlencode(),
        "chosen": chosen,
        "facets": {
            "workspaces": [(key, w.title) for key, w in keys.items()],
            "types": DeliverablePage.Type.choices,
            "years": [str(y) for y in years],
            "subjects": [(t.slug, t.name) for t in subjects.order_by("name")],
            "licences": [(str(lic.pk), lic.title) for lic in licences],
            "languages": [("fr", _("French")), ("en", _("English"))],
        },
    }
