"""RSS 2.0 and Atom 1.0 feeds (Django syndication) for every feed in the registry:
`/donnees/flux/<clé>.rss` and `/donnees/flux/<clé>.atom`."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from . import registry
from .models import OpenDataSettings


class RegistryRss(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, key: str):
        feed = registry.feed(key)
        if feed is None:
            raise Http404
        return feed

    def title(self, feed):
        return f"{settings.SITE_NAME} · {feed.title}"

    def link(self, feed):
        return reverse("opendata:index")

    def description(self, feed):
        return str(feed.description or feed.title)

    def feed_copyright(self, feed):
        return OpenDataSettings.current().as_dict()["name"]

    def items(self, feed):
        return list(feed.items())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated or item.published

    def item_categories(self, item):
        return item.categories


class RegistryAtom(RegistryRss):
    feed_type = Atom1Feed
    subtitle = RegistryRss.description
