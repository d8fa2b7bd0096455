from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from events.models import Event
from members.models import Organisation
from news.models import Article, Category
from offices.models import Office


class TranslatedSitemap(Sitemap):
    """Every page in all three languages, each listing the others as hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class ArticleSitemap(TranslatedSitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Article.objects.published().only("id", "slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, article):
        return article.updated_at


class EventSitemap(TranslatedSitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Event.objects.published().only("id", "slug", "updated_at").order_by("-starts_at", "-pk")

    def lastmod(self, event):
        return event.updated_at


class OfficeSitemap(TranslatedSitemap):
    def items(self):
        return Office.objects.only("id", "slug", "updated_at").order_by("ordinal", "pk")

    def lastmod(self, office):
        return office.updated_at


class OrganisationSitemap(TranslatedSitemap):
    limit = 5000

    def items(self):
        return Organisation.objects.members().only("id", "slug", "updated_at").order_by("pk")

    def lastmod(self, organisation):
        return organisation.updated_at


class CategorySitemap(TranslatedSitemap):
    def items(self):
        latest_change = Article.objects.published().filter(category=OuterRef("pk")).order_by("-updated_at")
        return Category.objects.only("id", "slug").annotate(
            last_changed=Subquery(latest_change.values("updated_at")[:1])
        )

    def lastmod(self, category):
        return category.last_changed


class PageSitemap(TranslatedSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "news:article-list", "events:event-list", "offices:office-list", "members:directory"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "news": ArticleSitemap,
    "events": EventSitemap,
    "categories": CategorySitemap,
    "offices": OfficeSitemap,
    "members": OrganisationSitemap,
}
