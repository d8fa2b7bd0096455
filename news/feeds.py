from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.text import bcp47, xml_safe_data
from news.models import Article

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class XmlSafeFeedMixin:
    """A feed generator that leaves out the characters XML cannot carry.

    Text is cleaned when saved; this covers rows written without save() (QuerySet.update(), raw
    SQL, an old backup), where a single U+000B would make Django refuse to write the feed.
    """

    def write(self, outfile, encoding):
        self.feed = xml_safe_data(self.feed)
        self.items = [xml_safe_data(item) for item in self.items]
        super().write(outfile, encoding)


class RssFeed(XmlSafeFeedMixin, Rss201rev2Feed):
    """RSS 2.0 whose items say their language (dc:language, RSS 2.0 has no item language).

    The channel's <language> is given only while every item is in it: RSS 2.0 defines it as the
    language the channel is written in, which an untranslated article shown at /en/ is not.
    """

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def write(self, outfile, encoding):
        if any(item["language"] != self.feed["language"] for item in self.items):
            self.feed["language"] = None
        super().write(outfile, encoding)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"])


class AtomFeed(XmlSafeFeedMixin, Atom1Feed):
    """Atom 1.0 whose entries in another language than the feed's carry their own xml:lang."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item["language"] != self.feed["language"]:
            attributes["xml:lang"] = item["language"]
        return attributes


class LatestArticlesFeed(Feed):
    """The latest published articles, in the language of the address (/en/news/feed/ ...)."""

    feed_type = RssFeed
    title = _("Suzhou Industrial Internet Industry Alliance: news")
    description = _("News from the Suzhou Industrial Internet Industry Alliance and its district offices.")
    item_count = 30

    @property
    def language(self):
        return bcp47(get_language())

    def link(self):
        return reverse("news:article-list")

    def items(self):
        return Article.objects.published().for_listing().latest_first()[: self.item_count]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers show an item's description (Atom: summary type="html") as HTML; the
        # summary is plain text.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or item.source or None

    def item_categories(self, item):
        return [item.category.name]

    def item_extra_kwargs(self, item):
        # An article not translated yet is shown in its Chinese; the item says so.
        return {"language": bcp47(item.text_language())}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomFeed
    subtitle = LatestArticlesFeed.description
