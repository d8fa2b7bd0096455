import io
from dataclasses import replace

import segno
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from core.cache import (
    LIVE_NUMBER,
    VersionedCountPaginator,
    page_number,
    public_page,
    show_live_number,
    versioned,
)
from core.search import SEARCH_COUNT_LIMIT, search_text
from core.uploads import download_disposition
from members.models import Person
from news.counting import count_view
from news.models import ARTICLE_LINKS, Article, ArticlePhoto, Attachment, Category, article_tag, may_preview_articles
from offices.models import Office

OPEN_GRAPH_LOCALES = {"zh-hans": "zh_CN", "en": "en_US", "zh-hant": "zh_TW"}


class PublishedArticlesMixin:
    """Queryset and pagination shared by every public list of articles.

    Lists are counted once per content version; a search is counted up to SEARCH_COUNT_LIMIT
    ("more than 1000 articles match"), so a one-character query matching most articles costs no
    more than a rare one.
    """

    paginate_by = 20
    page_kwarg = "page"
    paginator_class = VersionedCountPaginator

    def get_base_queryset(self):
        return Article.objects.published().for_listing().with_thumbnail().latest_first()

    def search_query(self):
        return search_text(self.request.GET.get("q", ""))

    def filter_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        queryset = self.filter_queryset(self.get_base_queryset())
        if query := self.search_query():
            return queryset.search(query)
        # Pinned articles lead the first page instead (see pinned_articles), on no page twice.
        return queryset.not_pinned_now()

    def rows_name(self):
        """What tells these rows apart from any other list's: the view, the list, the query."""
        return f"{type(self).__name__}|{self.list_name()}|{self.search_query()}"

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        query = self.search_query()
        return self.paginator_class(
            queryset,
            per_page,
            name=self.rows_name(),
            limit=SEARCH_COUNT_LIMIT if query else None,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            **kwargs,
        )

    def list_name(self):
        """What tells this list's rows apart from those of another list of the same view."""
        return ""

    def paginate_queryset(self, queryset, page_size):
        """ListView's pagination, the page's rows read once per content version (core.cache.versioned),
        as the list's count is: a list shown again before anything changes reads no row."""
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = versioned(f"{self.rows_name()}|{page.number}|{get_language()}", lambda: list(rows))
        return paginator, page, page.object_list, is_paginated

    def pinned_articles(self, page):
        """Pinned articles lead the first page of a list; search results are in date order only."""
        if self.search_query() or (page is not None and page.number != 1):
            return []
        return versioned(
            f"{self.rows_name()}|pinned|{get_language()}",
            lambda: list(self.filter_queryset(self.get_base_queryset()).pinned_now()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pinned_articles"] = self.pinned_articles(context["page_obj"])
        context["articles"] = context["object_list"]
        context["cards_key"] = f"{self.rows_name()}|{context['page_obj'].number}"
        context["query"] = self.search_query()
        context["categories"] = versioned("categories", lambda: list(Category.objects.all()))
        return context


@method_decorator(public_page(query={"page": page_number, "q": search_text, "office": None}), name="dispatch")
class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "news/article_list.html"

    def office(self):
        slug = self.request.GET.get("office", "")
        if not slug:
            return None
        if not hasattr(self, "_office"):
            self._office = get_object_or_404(Office, slug=slug)
        return self._office

    def filter_queryset(self, queryset):
        if office := self.office():
            queryset = queryset.filter(offices=office)
        return queryset

    def list_name(self):
        return self.office().slug if self.office() else ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(office=self.office(), **kwargs)


@method_decorator(public_page(query={"page": page_number, "q": search_text}), name="dispatch")
class CategoryArticleListView(PublishedArticlesMixin, ListView):
    template_name = "news/category_detail.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        return queryset.filter(category=self.category)

    def list_name(self):
        return self.category.slug

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


def article_page_depends(request, pk, **kwargs):
    """The tags of an article's page (core.cache.public_page): the article itself, and what its
    page shows of other articles (neighbours, related articles), which news.signals bumps when an
    article changes what other pages show of it. Anything else it shows (categories, offices,
    organisations, people, photos) starts a new site-wide version when it changes."""
    return (ARTICLE_LINKS, article_tag(pk))


@method_decorator(public_page(depends=article_page_depends), name="dispatch")
class ArticleDetailView(DetailView):
    """An article at its canonical address; those who may preview also see drafts and scheduled ones.

    A published article shows its views counted up to this request, this one included if it
    counts (news.counting.count_view), on every serving, from the page cache too.
    """

    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # The body in the language of the page and in the default one (its fallback), no other.
        language = get_language().replace("-", "_")
        unused = [f"body_{code}" for code in ("en", "zh_hant") if code != language]
        articles = (
            Article.objects.select_related("category", "views", "event")
            .defer("search_document", *unused)
            .prefetch_related(
                Prefetch("photos", queryset=ArticlePhoto.objects.prefetch_related("people_shown")),
                "attachments",
                "offices",
                "organisations",
                Prefetch("people", queryset=Person.objects.select_related("organisation")),
            )
        )
        return articles.visible_to(self.request.user)

    def get_object(self, queryset=None):
        """The article with everything its page shows.

        For a visitor who may not preview, read once per version of what the page shows (the tags
        of its page cache entry, core.cache.versioned), its stored view count as of that reading,
        as a cached page keeps it (news.counting adds the views since). Raises Http404.
        """
        fetch = super().get_object
        if may_preview_articles(self.request.user):
            return fetch(queryset)
        pk = self.kwargs["pk"]
        depends = article_page_depends(self.request, pk)
        return versioned(f"article:{pk}:{get_language()}", lambda: fetch(queryset), depends=depends)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.slug != kwargs["slug"]:
            return redirect(self.object, permanent=True)
        context = self.get_context_data(object=self.object)
        if not self.object.is_published:
            response = self.render_to_response({**context, "view_count": self.object.view_count})
            response.public_page = False
            add_never_cache_headers(response)
            return response
        response = self.render_to_response({**context, "view_count": LIVE_NUMBER})
        show_live_number(response, count_view, self.object.pk, self.object.view_count)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        context = super().get_context_data(**kwargs)
        absolute_url = self.request.build_absolute_uri
        photos = list(article.photos.all())
        context["canonical_url"] = absolute_url(article.get_absolute_url())
        if share_image := article.share_image(photos):
            context["share_image"] = replace(share_image, url=absolute_url(share_image.url))
        context["json_ld"] = article.structured_data(absolute_url, photos)
        # The locale of the text shown, which is Chinese at /en/ for an article not translated yet.
        language = article.text_language()
        context["og_locale"] = OPEN_GRAPH_LOCALES.get(language, "zh_CN")
        context["og_alternate_locales"] = [
            OPEN_GRAPH_LOCALES[code] for code in article.written_languages() if code != language
        ]
        if article.is_published:
            context["previous_article"], context["next_article"], context["related_articles"] = versioned(
                f"article-around:{article.pk}:{get_language()}",
                lambda: (*article_neighbours(article), related_articles(article)),
                depends=article_page_depends(self.request, article.pk),
            )
        return context


def article_neighbours(article):
    """The published articles just before (older) and just after (newer) this one, in list order."""
    titles = [f"title_{language}" for language in ("zh_hans", "en", "zh_hant")]
    published = Article.objects.published().only("id", "slug", "published_at", *titles)
    at, pk = article.published_at, article.pk
    # A range on published_at, with the rare same-time rows sorted out by id, lets the database
    # walk the (published_at, id) index from this article and stop at the first row.
    older = published.filter(published_at__lte=at).exclude(published_at=at, pk__gte=pk)
    newer = published.filter(published_at__gte=at).exclude(published_at=at, pk__lte=pk)
    previous = older.latest_first().first()
    following = newer.order_by("published_at", "pk").first()
    return previous, following


def related_articles(article, limit=4):
    """News about the same district offices first, then the latest of the same category."""
    others = Article.objects.published().for_listing().with_thumbnail().exclude(pk=article.pk).latest_first()
    office_ids = [office.pk for office in article.offices.all()]
    about_same_offices = Article.offices.through.objects.filter(office_id__in=office_ids).values("article_id")
    related = list(others.filter(pk__in=about_same_offices)[:limit]) if office_ids else []
    seen = {item.pk for item in related}
    related += [item for item in others.filter(category_id=article.category_id)[:limit] if item.pk not in seen]
    return related[:limit]


class RelatedNewsSection:
    """A section of an organisation or office page: the latest news linked to it."""

    template_name = "news/includes/related_news.html"
    count = 6

    def __init__(self, relation):
        self.relation = relation

    def context(self, subject):
        articles = Article.objects.published().for_listing().with_thumbnail().latest_first()
        articles = articles.filter(**{self.relation: subject})
        return {"news": list(articles[: self.count]), "news_subject": subject, "news_filter": self.relation}


# A QR code's modules in image pixels, and the quiet zone in modules (ISO/IEC 18004 asks for 4).
QR_SCALE = 8
QR_BORDER = 4


@require_GET
@public_page
def article_qr(request, pk):
    """A PNG QR code of a published article's canonical address in the language of the request.

    Made here (segno), never by another service, and kept by the page cache like any public page;
    readers scan it with a phone to open, and forward, the article ("扫码分享").
    """
    article = get_object_or_404(Article.objects.published().only("id", "slug"), pk=pk)
    buffer = io.BytesIO()
    qr = segno.make(request.build_absolute_uri(article.get_absolute_url()), error="m", boost_error=False)
    qr.save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


def attachment_download(request, pk):
    """An attachment's file as a download, to whoever may see its article.

    The answer names the file as it was uploaded (RFC 6266 `filename*`) and forbids content
    sniffing, so no browser renders an attachment as a page of the site. Drafts' attachments are
    404 to the public, as their articles are.
    """
    attachment = get_object_or_404(
        Attachment.objects.select_related("article"),
        pk=pk,
        article__in=Article.objects.visible_to(request.user),
    )
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The attachment's file is missing.") from None
    response = FileResponse(file, content_type=attachment.content_type or "application/octet-stream")
    response["Content-Disposition"] = download_disposition(attachment.download_name, attachment.stored_basename)
    response["X-Content-Type-Options"] = "nosniff"
    if not attachment.article.is_published:
        add_never_cache_headers(response)
    return response
