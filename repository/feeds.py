"""Atom feed of the newest public deliverables, in the reader's language."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wiki import access

from .models import DeliverablePage


class NewDeliverablesFeed(Feed):
    feed_type = Atom1Feed
    title = _("New deliverables of the institutional repository")
    subtitle = _("Public deliverables of the communities of practice, newest first.")

    def link(self):
        from .models import RepositoryIndexPage

        index = RepositoryIndexPage.objects.filter(locale__language_code=get_language()).first()
        return index.url if index else "/"

    def items(self):
        # Always a visitor's view: a feed is public whoever fetches it.
        pages = DeliverablePage.objects.filter(locale__language_code=get_language())
        return access.viewable_pages(AnonymousUser(), pages).order_by("-first_published_at")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.abstract

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.permanent_url()

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(creator.name for creator in item.creators.all()) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


new_deliverables_feed = login_not_required(NewDeliverablesFeed())
