"""Every kind of public page, in states that show all of its parts: the one list site-wide checks read.

A new kind of page (membership application, events, about, privacy, contact ...) is one more
`Page` in PAGES, and whatever it needs to show is made in `make_content`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse
from django.utils.http import urlencode

from members.models import Organisation
from news.models import Article, Category
from tests.factories import ArticleFactory, ArticlePhotoFactory, AttachmentFactory, image_file


@dataclass(frozen=True)
class Page:
    """One kind of public page.

    name: how test output names it.
    path: the page's address from the content `make_content` made, in the active language.
    status: the status code the page answers with.
    database_down: rendered while the database is unreachable (tests/outages.py).
    """

    name: str
    path: Callable[[SimpleNamespace], str]
    status: int = 200
    database_down: bool = False


def _query(url_name, **params):
    return f"{reverse(url_name)}?{urlencode(params)}"


PAGES = (
    Page("home", lambda content: reverse("home")),
    Page("news list", lambda content: reverse("news:article-list")),
    Page("news list searched", lambda content: _query("news:article-list", q="吴中")),
    Page("news of an office", lambda content: _query("news:article-list", office=content.office.slug)),
    Page("category", lambda content: content.article.category.get_absolute_url()),
    Page("article with photos and attachments", lambda content: content.article.get_absolute_url()),
    Page("pinned article", lambda content: content.pinned.get_absolute_url()),
    Page("article in its fallback language", lambda content: content.untranslated.get_absolute_url()),
    Page("offices", lambda content: reverse("offices:office-list")),
    Page("office", lambda content: content.office.get_absolute_url()),
    Page("directory", lambda content: reverse("members:directory")),
    Page(
        "directory with filters",
        lambda content: _query("members:directory", q=content.organisation.name[:2], kind=content.organisation.kind),
    ),
    Page("organisation", lambda content: content.organisation.get_absolute_url()),
    Page("organisation without a logo", lambda content: content.without_logo.get_absolute_url()),
    Page("search", lambda content: _query("search", q="吴中")),
    Page("search without results", lambda content: _query("search", q="没有这样的内容")),
    Page("not found", lambda content: reverse("home") + "no-such-page/", status=404),
    Page("database unavailable", lambda content: reverse("home"), status=503, database_down=True),
)


def make_content(demo_snapshot, media_root):
    """The demo content (restored from the run's `demo_snapshot`, files into `media_root`), plus
    what it lacks: attachments, a photo after the text, a pinned article with a cover, an
    article written in Simplified Chinese only, a notice and an article whose only image is a photo.

    Returns a namespace with `article`, `pinned`, `untranslated`, `office`, `organisation` and
    `without_logo` (an organisation with no logo).
    Needs database access; new photos are written to MEDIA_ROOT.
    """
    demo_snapshot.restore(media_root)
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    ArticlePhotoFactory(article=article, caption_zh_hans="合影", caption_en="Group photo")
    AttachmentFactory(article=article)
    office = article.offices.get()
    ArticleFactory(category=Category.objects.get(slug="notices"), title_zh_hans="关于征集优秀案例的通知")
    ArticlePhotoFactory(article=ArticleFactory(title_zh_hans="只有照片的新闻"))
    return SimpleNamespace(
        article=article,
        pinned=ArticleFactory(
            is_pinned=True, cover=image_file("cover.jpg"), cover_alt_zh_hans="会场", cover_alt_en="The hall"
        ),
        untranslated=ArticleFactory(title_en="", summary_en="", body_en=""),
        office=office,
        organisation=office.council_seats.get(role="president").organisation,
        without_logo=Organisation.objects.filter(logo="").first(),
    )
