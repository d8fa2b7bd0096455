from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from news.models import Article, bcp47


class LatestArticlesFeed(Feed):
    """The latest published articles, in the language of the address (/en/news/feed/ ...)."""

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


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
