import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncYear
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField, create_sanitizer
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFit

from alliance_site.images import add_renditions
from alliance_site.search import filter_by_search
from alliance_site.text import TraditionalFilledModel, html_to_text, pinyin_slug, search_document
from alliance_site.uploads import validate_attachment_upload, validate_image_upload
from members.models import Organisation, Person
from offices.models import Office

# What editors can write in an article body. The same list is the server-side allow-list:
# django-prose-editor derives its nh3 rules from it, so nothing else survives a save.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
}

# Pasted Word and WeChat documents bring their <head>; its title and metadata are not article text.
_DOCUMENT_PARTS = re.compile(r"<(head|title|xml)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# nh3 output: attribute values are quoted, and < and > in them are escaped.
_IMAGE = re.compile(r"<img\b[^>]*>")
_ARTICLE_IMAGE = re.compile(r'\bdata-file="\d+"|\bsrc=""')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


def drop_document_parts(html):
    return _DOCUMENT_PARTS.sub("", html)


def tidy_body(html):
    """Images in a body are the article's photos (data-file) or empty slots for one (src="").

    Images from elsewhere (pasted from WeChat or Word, typed URLs) are removed: the site loads
    no image from other hosts, and every image it shows needs the description a photo has.
    Paragraphs left empty by pasting go too.
    """
    html = _IMAGE.sub(lambda match: match.group(0) if _ARTICLE_IMAGE.search(match.group(0)) else "", html)
    return _EMPTY_PARAGRAPH.sub("", html).strip()


# Link previews (chat apps, social networks) want a JPEG; pages use the WebP/AVIF renditions.
SHARE_IMAGE_WIDTH = 1200


def add_share_rendition(model, field_name):
    spec = ImageSpecField(
        source=field_name,
        processors=[ResizeToFit(width=SHARE_IMAGE_WIDTH, upscale=False)],
        format="JPEG",
        options={"quality": 82},
    )
    model.add_to_class(f"{field_name}_share", spec)


@dataclass
class ShareImage:
    url: str
    width: int
    height: int
    alt: str


def share_image(instance, field_name, alt):
    width, height = getattr(instance, f"{field_name}_width"), getattr(instance, f"{field_name}_height")
    if width and height and width > SHARE_IMAGE_WIDTH:
        width, height = SHARE_IMAGE_WIDTH, round(height * SHARE_IMAGE_WIDTH / width)
    return ShareImage(getattr(instance, f"{field_name}_share").url, width, height, alt)


def bcp47(language_code):
    """Django's 'zh-hans' -> 'zh-Hans', as HTML and schema.org write it."""
    first, *rest = language_code.split("-")
    return "-".join([first, *(part.title() if len(part) == 4 else part.upper() for part in rest)])


_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.DOTALL)
_SENTENCE_ENDS = ("。", "！", "？", ". ", "! ", "? ")


def summary_from_body(body, limit):
    """The body's first paragraph; when longer than `limit`, its sentences that fit (or a cut)."""
    first_paragraph = _FIRST_PARAGRAPH.search(body)
    text = html_to_text(first_paragraph.group(0) if first_paragraph else body)
    if len(text) <= limit:
        return text
    end = max(text.rfind(mark, 0, limit) for mark in _SENTENCE_ENDS)
    if end >= limit // 3:
        return text[: end + 1].strip()
    return Truncator(text).chars(limit, truncate="…")


class Category(TraditionalFilledModel):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see: published, and not in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    @staticmethod
    def _pinned_now():
        return Q(is_pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gt=timezone.now()))

    def pinned_now(self):
        """Pinned, and the pin has not run out (an expired pin falls back into date order)."""
        return self.filter(self._pinned_now())

    def not_pinned_now(self):
        return self.exclude(self._pinned_now())

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """What lists, feeds and search results need: no bodies, the category joined."""
        return self.select_related("category").defer(
            "body", *[f"body_{lang}" for lang in ("zh_hans", "en", "zh_hant")], "search_document"
        )

    def search(self, query):
        return filter_by_search(self, query)


class Article(TraditionalFilledModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        blank=True,
        allow_unicode=False,
        help_text=_(
            "Part of the address after the number. Made from the pinyin of the title when left empty; "
            "changing it never breaks old links."
        ),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=500,
        help_text=_("One or two sentences for lists, feeds and shares. Taken from the body when empty."),
    )
    body = ProseEditorField(
        _("body"),
        extensions=BODY_EXTENSIONS,
        sanitize=[tidy_body, create_sanitizer, drop_document_parts],  # applied last to first
        blank=True,
        help_text=_(
            "Photos in the text are the article's photos: add them under Photos, save, then use the image "
            "button and “Browse…” to place one. Images pasted from elsewhere are removed when saving."
        ),
    )
    cover = models.ImageField(
        _("cover image"),
        upload_to="covers/%Y/%m/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[validate_image_upload],
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover description"),
        max_length=200,
        blank=True,
        help_text=_("What the cover shows, for readers who cannot see it. Required with a cover."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("文章来源, e.g. 苏州市工业互联网产业联盟")
    )
    author = models.CharField(_("author"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "A time in the future schedules the article: it appears by itself at that time. "
            "Empty when publishing means now."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Pinned articles lead the lists."))
    pinned_until = models.DateTimeField(
        _("pinned until"), null=True, blank=True, help_text=_("After this time the article returns to date order.")
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    offices = models.ManyToManyField(Office, verbose_name=_("offices"), blank=True, related_name="articles")
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="articles"
    )
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="articles")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    search_document = models.TextField(editable=False, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["category", "status", "-published_at"], name="article_category_idx"),
            models.Index(fields=["is_pinned"], condition=Q(is_pinned=True), name="article_pinned_idx"),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The admin list: newest first over every status, its date drill-down and date filters,
            # the years of the drill-down (read from the index alone), the most read first.
            models.Index(fields=["-published_at", "-id"], name="article_date_idx"),
            models.Index(
                TruncYear("published_at", tzinfo=ZoneInfo(settings.TIME_ZONE)),
                F("published_at"),  # makes the scan index-only
                condition=Q(published_at__isnull=False),
                name="article_year_idx",
            ),
            models.Index(fields=["-view_count", "-published_at", "-id"], name="article_views_idx"),
        ]
        permissions = [("publish_article", _("Can publish, unpublish and pin articles"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def is_published(self):
        """The instance form of ArticleQuerySet.published(), for the admin and previews."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_pinned_now(self):
        return self.is_pinned and (self.pinned_until is None or self.pinned_until > timezone.now())

    def share_image(self, photos=()):
        """The image link previews show: the cover, else the first photo; None without either."""
        if self.cover:
            return share_image(self, "cover", self.cover_alt)
        for photo in photos:
            return share_image(photo, "image", photo.alt_text)
        return None

    def structured_data(self, absolute_url, photos=()):
        """schema.org NewsArticle (JSON-LD) in the current language; `absolute_url` makes a path a full URL."""
        url = absolute_url(self.get_absolute_url())
        site = {"@type": "Organization", "name": gettext("Suzhou Industrial Internet Industry Alliance")}
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": url,
            "url": url,
            "headline": Truncator(self.title).chars(110),
            "description": self.summary,
            "inLanguage": bcp47(get_language()),
            "articleSection": self.category.name,
            "dateModified": self.updated_at.isoformat(),
            "publisher": {**site, "url": absolute_url(reverse("home"))},
            "author": {"@type": "Person", "name": self.author} if self.author else site,
        }
        if self.source and not self.author:
            data["author"] = {"@type": "Organization", "name": self.source}
        if self.published_at:
            data["datePublished"] = self.published_at.isoformat()
        if image := self.share_image(photos):
            data["image"] = [absolute_url(image.url)]
        return data

    def fill_summaries(self):
        """An empty summary is taken from the start of the body in the same language."""
        for lang, limit in (("zh_hans", 120), ("en", 240)):
            if not getattr(self, f"summary_{lang}") and getattr(self, f"body_{lang}"):
                setattr(self, f"summary_{lang}", summary_from_body(getattr(self, f"body_{lang}"), limit))

    def clean(self):
        errors = {}
        if self.cover and not self.cover_alt_zh_hans:
            errors["cover_alt_zh_hans"] = _("Describe the cover image for readers who cannot see it.")
        if self.pinned_until and not self.is_pinned:
            errors["pinned_until"] = _("Only a pinned article can have a pin end time.")
        if errors:
            raise ValidationError(errors)

    def sanitise_body(self):
        field = self._meta.get_field("body")
        for lang in ("zh_hans", "en", "zh_hant"):
            name = f"body_{lang}"
            value = getattr(self, name)
            if value:
                setattr(self, name, field.sanitize(value))

    def save(self, *args, **kwargs):
        self.sanitise_body()
        self.fill_summaries()
        if not self.slug:
            self.slug = pinyin_slug(self.title_zh_hans or self.title, max_length=60) or "article"
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.search_document = search_document(
            self.title_zh_hans, self.title_en, self.summary_zh_hans, self.summary_en, self.body_zh_hans, self.body_en
        )
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is None:
                # Views are added by flush_view_counts alone; an editor's save must not undo them.
                kwargs["update_fields"] = [
                    f.attname for f in self._meta.concrete_fields if not f.primary_key and f.attname != "view_count"
                ]
            else:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "version",
                    "slug",
                    "search_document",
                    "published_at",
                    "updated_at",
                }
        super().save(*args, **kwargs)


add_renditions(Article, "cover")
add_share_rendition(Article, "cover")


class ArticlePhoto(TraditionalFilledModel):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        width_field="image_width",
        height_field="image_height",
        validators=[validate_image_upload],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("description"), max_length=300, help_text=_("What the photo shows, for readers who cannot see it.")
    )
    credit = models.CharField(_("credit"), max_length=100, blank=True)
    people_shown = models.ManyToManyField(Person, verbose_name=_("people shown"), blank=True, related_name="photos")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption or self.alt_text


add_renditions(ArticlePhoto, "image")
add_share_rendition(ArticlePhoto, "image")


class Attachment(TraditionalFilledModel):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", validators=[validate_attachment_upload])
    title = models.CharField(_("title"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def extension(self):
        name = self.file.name.lower()
        return name.rsplit(".", 1)[-1] if "." in name else ""

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        super().save(*args, **kwargs)


class PendingView(models.Model):
    """One counted view not yet added to its article, where no Redis is configured.

    Appending a row takes no lock on the article; flush_view_counts adds them up.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=True)

    class Meta:
        verbose_name = _("pending view")
        verbose_name_plural = _("pending views")

    def __str__(self):
        return f"view of article {self.article_id}"


class CountedVisitor(models.Model):
    """A visitor whose view of an article was counted, until when further views are not.

    Used where no Redis is (the window then lives in the database, shared by every app server).
    `visitor` is a keyed hash of address, browser and article (news.counting.visitor_key): no
    personal data is stored. Expired rows are removed by flush_view_counts.
    """

    visitor = models.CharField(max_length=32, primary_key=True)
    counted_until = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("counted visitor")
        verbose_name_plural = _("counted visitors")

    def __str__(self):
        return self.visitor


class ViewCountFlush(models.Model):
    """A batch of views moved from Redis into Article.view_count.

    Redis and the database cannot commit together: the batch is recorded in the same transaction
    as the counts it adds, so a flush interrupted after that commit is finished by the next run
    without adding the batch twice.
    """

    batch = models.CharField(max_length=32, primary_key=True)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("view count flush")
        verbose_name_plural = _("view count flushes")

    def __str__(self):
        return self.batch


def next_scheduled_change():
    """When the public news changes by itself next: a scheduled article or a pin falling due."""
    now = timezone.now()
    upcoming = Article.objects.aggregate(
        publish=models.Min("published_at", filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now)),
        unpin=models.Min("pinned_until", filter=Q(is_pinned=True, pinned_until__gt=now)),
    )
    times = [when for when in upcoming.values() if when is not None]
    return min(times) if times else None
