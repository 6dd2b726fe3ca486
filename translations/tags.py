"""The tag filter in both languages: pages with one tag, named in the reader's language."""

from django.http import Http404
from django.shortcuts import render
from taggit.models import Tag
from wagtail.models import Locale, Page

from repository.models import DeliverablePage
from wiki.access import viewable_pages
from wiki.models import WikiPage

from .models import TagLabel


def find_tag(slug):
    """The tag named `slug` in any language (a label's slug first, then the tag's own slug)."""
    label = TagLabel.objects.select_related("tag").filter(slug=slug).first()
    if label is not None:
        return label.tag
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    return tag


def label_in(tag, locale):
    label = TagLabel.objects.filter(tag=tag, locale=locale).first()
    return label.name if label else tag.name


def tag_pages(request, slug):
    tag = find_tag(slug)
    locale = Locale.get_active()
    tagged = Page.objects.filter(locale=locale).filter(
        pk__in=list(WikiPage.objects.filter(tags=tag).values_list("pk", flat=True))
        + list(DeliverablePage.objects.filter(tags=tag).values_list("pk", flat=True))
    )
    pages = viewable_pages(request.user, tagged).order_by("title")
    return render(
        request, "translations/tag_pages.html", {"tag": tag, "label": label_in(tag, locale), "pages": pages}
    )
