"""Every kind of public page, in states that show all of its parts: the one list site-wide checks read.

A new kind of page (membership application, events, about, privacy, contact ...) is one more
`Page` in PAGES, and whatever it needs to show is made in `make_content`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse
from django.utils.http import urlencode

from events.models import Event
from members.models import Organisation
from membership.models import MembershipApplication, Stage
from membership.services import status_token
from news.models import Article, Category
from tests.factories import ArticleFactory, ArticlePhotoFactory, AttachmentFactory, RegistrationFactory, image_file


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


def _status(application):
    return reverse("membership:application-status", kwargs={"token": status_token(application)})


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
    Page("events", lambda content: reverse("events:event-list")),
    Page("events filtered", lambda content: _query("events:event-list", office=content.office.slug, kind="salon")),
    Page("past event", lambda content: content.past_event.get_absolute_url()),
    Page("event open for registration", lambda content: content.upcoming_event.get_absolute_url()),
    Page("event registration form", lambda content: reverse("events:register", args=[content.upcoming_event.pk])),
    Page("event registration", lambda content: content.registration.get_absolute_url()),
    Page("event registration link not valid", lambda content: reverse("events:registration", args=["x"]), status=404),
    Page("membership application form", lambda content: reverse("membership:apply")),
    Page("membership application returned for information", lambda content: _status(content.application)),
    Page("membership status link not valid", lambda content: _status(content.application)[:-3] + "x/", status=404),
    Page("member-only documents", lambda content: reverse("membership:document-list")),
    Page("member portal sign-in", lambda content: reverse("membership:portal-login")),
    Page("organisation without a logo", lambda content: content.without_logo.get_absolute_url()),
    Page("search", lambda content: _query("search", q="吴中")),
    Page("search without results", lambda content: _query("search", q="没有这样的内容")),
    Page("privacy policy", lambda content: reverse("privacy")),
    Page("about", lambda content: reverse("about")),
    Page("contact form", lambda content: reverse("contact")),
    Page("not found", lambda content: reverse("home") + "no-such-page/", status=404),
    Page("database unavailable", lambda content: reverse("home"), status=503, database_down=True),
)


def make_content(demo_snapshot, media_root):
    """The demo content (restored from the run's `demo_snapshot`, files into `media_root`), plus
    what it lacks: attachments, a photo after the text, a pinned article with a cover, an
    article written in Simplified Chinese only, a notice and an article whose only image is a photo.

    Returns a namespace with `article`, `pinned`, `untranslated`, `office`, `organisation` and
    `application` (the demo application returned for information), `without_logo` (an organisation
    with no logo), `past_event`, `upcoming_event` and `registration`.
    Needs database access; new photos are written to MEDIA_ROOT.
    """
    demo_snapshot.restore(media_root)
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    ArticlePhotoFactory(article=article, caption_zh_hans="合影", caption_en="Group photo")
    AttachmentFactory(article=article)
    office = article.offices.get()
    upcoming_event = Event.objects.get(title_zh_hans="工业互联网平台应用沙龙（吴中）")
    ArticleFactory(category=Category.objects.get(slug="notices"), title_zh_hans="关于征集优秀案例的通知")
    ArticlePhotoFactory(article=ArticleFactory(title_zh_hans="只有照片的新闻"))
    return SimpleNamespace(
        past_event=article.event,
        upcoming_event=upcoming_event,
        registration=RegistrationFactory(event=upcoming_event),
        article=article,
        pinned=ArticleFactory(
            is_pinned=True, cover=image_file("cover.jpg"), cover_alt_zh_hans="会场", cover_alt_en="The hall"
        ),
        untranslated=ArticleFactory(title_en="", summary_en="", body_en=""),
        office=office,
        organisation=office.council_seats.get(role="president").organisation,
        application=MembershipApplication.objects.get(stage=Stage.RETURNED),
        without_logo=Organisation.objects.filter(logo="").first(),
    )
