import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncYear
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField, create_sanitizer
from pilkit.processors import ResizeToFit

from core.images import UprightImageField, add_renditions, picture_html, rendition_spec
from core.models import derive_rows
from core.review import ReviewedModel, ReviewStep
from core.search import filter_by_search
from core.text import (
    TraditionalFilledModel,
    bcp47,
    html_to_text,
    pinyin_slug,
    search_document,
    shown_language,
    written_languages,
)
from core.uploads import (
    UploadPath,
    detect_attachment_type,
    split_extension,
    type_label,
    validate_attachment_upload,
    validate_image_upload,
)
from events.models import Event
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
_BODY_IMAGE = re.compile(r'<img\b[^>]*\bdata-file="(\d+)"[^>]*>')
_EMPTY_FIGURE = re.compile(r"<figure\b[^>]*>\s*</figure>")
LANGUAGE_SUFFIXES = ("zh_hans", "en", "zh_hant")


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
    spec = rendition_spec(
        field_name, ResizeToFit(width=SHARE_IMAGE_WIDTH, upscale=False), "jpeg", {"quality": 82, "optimize": True}
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


def may_preview_articles(user):
    """Whether `user` may read drafts and scheduled articles on the site, as they will look.

    Preview is reading an article before it is public, so it takes the permission to view or to
    change articles in the admin; being staff (for any other part of the admin) is not enough.

    Args:
        user: a user, or AnonymousUser.

    Returns:
        bool.
    """
    return user.has_perm("news.view_article") or user.has_perm("news.change_article")


# The category whose articles are notices (通知公告), shown apart from the news on the home page.
NOTICES_CATEGORY_SLUG = "notices"


def _current_suffix():
    return (get_language() or settings.LANGUAGE_CODE).replace("-", "_")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see: published, not in the future, not expired.

        Evaluated at query time: a scheduled article appears and an expiring one (`unpublish_at`)
        disappears by itself, with no job.
        """
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).exclude(unpublish_at__lte=now)

    def visible_to(self, user):
        """The articles `user` may read on the site: all for those who may preview, else published()."""
        return self if may_preview_articles(user) else self.published()

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
        bodies = [f"{name}_{lang}" for name in ("body", "body_html") for lang in LANGUAGE_SUFFIXES]
        return self.select_related("category").defer("body", "body_html", *bodies, "search_document")

    def with_thumbnail(self):
        """Each article with what its thumbnail needs when it has no cover: its first photo's file and size.

        In the same query, as `thumb_*` columns (see `Article.thumbnail`); the database looks the
        photo up only for rows without a cover (CASE), so lists of covered articles cost nothing more.
        """
        first = ArticlePhoto.objects.filter(article=OuterRef("pk")).order_by("order", "pk")
        no_cover = Q(cover="")
        alt = Coalesce(
            NullIf(f"alt_text_{_current_suffix()}", Value("")), "alt_text_zh_hans", output_field=models.CharField()
        )
        return self.annotate(
            **{
                f"thumb_{name}": Case(When(no_cover, then=Subquery(first.values(column)[:1])))
                for name, column in (("image", "image"), ("width", "image_width"), ("height", "image_height"))
            },
            thumb_alt=Case(When(no_cover, then=Subquery(first.annotate(alt=alt).values("alt")[:1]))),
        )

    def pinned_first(self):
        """Pinned articles (while the pin holds) ahead, each group newest first."""
        pinned = ExpressionWrapper(self._pinned_now(), output_field=BooleanField())
        return self.alias(pinned_now=pinned).order_by("-pinned_now", "-published_at", "-pk")

    def notices(self):
        """The articles of the notices category (通知公告), which the home page sets apart from news."""
        return self.filter(category__slug=NOTICES_CATEGORY_SLUG)

    def search(self, query):
        return filter_by_search(self, query)


# Page-cache tags (core.cache.invalidate) of articles: what pages of other articles show of
# articles (neighbours, related articles), and each article's own page.
ARTICLE_LINKS = "article-links"


def article_tag(pk):
    return f"article:{pk}"


class Article(TraditionalFilledModel, ReviewedModel):
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
    cover = UprightImageField(
        _("cover image"),
        upload_to=UploadPath("covers/%Y/%m/", fallback="cover"),
        max_length=255,
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
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_(
            "For notices that expire: from this time the article is gone from every public page, feed and "
            "search by itself. Empty: it stays."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    is_pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Pinned articles lead the lists."))
    pinned_until = models.DateTimeField(
        _("pinned until"), null=True, blank=True, help_text=_("After this time the article returns to date order.")
    )
    offices = models.ManyToManyField(Office, verbose_name=_("offices"), blank=True, related_name="articles")
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="articles"
    )
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="articles")
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("The event this article reports on."),
    )
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
    body_html = models.TextField(editable=False, blank=True)

    objects = ArticleQuerySet.as_manager()
    rendered_translations = ("body_html",)
    not_in_revision = ("status", "is_pinned", "pinned_until")

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
            # the years of the drill-down (read from the index alone).
            models.Index(fields=["-published_at", "-id"], name="article_date_idx"),
            models.Index(
                TruncYear("published_at", tzinfo=ZoneInfo(settings.TIME_ZONE)),
                F("published_at"),  # makes the scan index-only
                condition=Q(published_at__isnull=False),
                name="article_year_idx",
            ),
        ]
        permissions = [
            ("publish_article", _("Can publish, unpublish and pin articles")),
            ("review_article", _("Can approve articles for publication or return them")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def is_published(self):
        """The instance form of ArticleQuerySet.published(), for the admin and previews."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not (self.unpublish_at is not None and self.unpublish_at <= now)
        )

    @property
    def is_expired(self):
        """Published, but its `unpublish_at` has passed: the public no longer sees it."""
        return (
            self.status == self.Status.PUBLISHED
            and self.unpublish_at is not None
            and self.unpublish_at <= timezone.now()
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

    def thumbnail(self):
        """What a list shows beside the title: (instance, image field name, alt text), or None.

        The cover, else the first photo (read by `ArticleQuerySet.with_thumbnail` with the row);
        an article with neither gets no image at all.
        """
        if self.cover:
            return self, "cover", self.cover_alt
        if name := getattr(self, "thumb_image", None):
            photo = ArticlePhoto(image=name, image_width=self.thumb_width, image_height=self.thumb_height)
            return photo, "image", self.thumb_alt or ""
        return None

    def text_language(self):
        """The language the article is read in at the active language: its title's.

        An article not yet translated shows its Simplified Chinese at /en/; pages, feeds, JSON-LD
        and Open Graph then say zh-hans, not en. Returns a Django language code.
        """
        return shown_language(self, "title")

    def written_languages(self):
        """The language codes the article has a title of its own in (settings order)."""
        return written_languages(self, "title")

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
            "inLanguage": bcp47(self.text_language()),
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
        if self.unpublish_at and self.published_at and self.unpublish_at <= self.published_at:
            errors["unpublish_at"] = _("The unpublish time must come after the publish time.")
        if errors:
            raise ValidationError(errors)

    def sanitise_body(self):
        field = self._meta.get_field("body")
        for lang in LANGUAGE_SUFFIXES:
            name = f"body_{lang}"
            value = getattr(self, name)
            if value:
                setattr(self, name, field.sanitize(value))

    def derive(self, photos=None):
        """Sanitised bodies, summaries, the Traditional text, slug, publication time, search document
        and the bodies as pages show them (`body_html`).

        Args:
            photos: the article's photos, for bulk writes that hold them already; read from the
                database when None.
        Returns:
            set[str]: the names of the fields set.
        """
        self.sanitise_body()
        self.fill_summaries()
        derived = super().derive() | {f"{name}_{lang}" for name in ("body", "summary") for lang in LANGUAGE_SUFFIXES}
        if not self.slug:
            self.slug = pinyin_slug(self.title_zh_hans or self.title, max_length=60) or "article"
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.search_document = search_document(
            self.title_zh_hans, self.title_en, self.summary_zh_hans, self.summary_en, self.body_zh_hans, self.body_en
        )
        return derived | {"slug", "published_at", "search_document", *self.render_body(photos)}

    def render_body(self, photos=None):
        """Set `body_html_<language>`: the body with its images of the article's photos as responsive
        pictures. Any other image (an empty photo slot, a photo of another article) is left out, and
        so is a figure left with nothing in it; a figure with a caption keeps its caption.

        Args:
            photos: the article's photos; read from the database when None (none for a new article).
        Returns:
            list[str]: the names of the fields set.
        """
        if photos is None:
            photos = list(self.photos.all()) if self.pk and not self._state.adding else []
        by_id = {str(photo.pk): photo for photo in photos}
        names = []
        for lang in LANGUAGE_SUFFIXES:

            def replace(match, lang=lang):
                photo_id = _BODY_IMAGE.match(match.group(0))
                photo = by_id.get(photo_id.group(1)) if photo_id else None
                if photo is None:
                    return ""
                alt = getattr(photo, f"alt_text_{lang}") or photo.alt_text_zh_hans
                return str(picture_html(photo, "image", alt, sizes="(min-width: 48rem) 46rem, 100vw"))

            body = getattr(self, f"body_{lang}") or ""
            setattr(self, f"body_html_{lang}", _EMPTY_FIGURE.sub("", _IMAGE.sub(replace, body)) if body else "")
            names.append(f"body_html_{lang}")
        return names

    def store_rendered_body(self):
        """Render the body again and store it, without counting it as an edit (a photo changed)."""
        names = self.render_body()
        Article.objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in names})

    def photo_ids_in_body(self):
        """The ids of the photos the body (in the current language) shows."""
        return {int(photo_id) for photo_id in _BODY_IMAGE.findall(self.body or "")}

    # Fields no page but the article's own shows (lists and search show their derived summaries
    # and search document, which the page cache's CONTENT tag covers).
    SHOWN_ON_OWN_PAGE_ONLY = frozenset(
        {
            *(f"{name}_{lang}" for name in ("body", "body_html", "source") for lang in LANGUAGE_SUFFIXES),
            *("body", "body_html", "source", "author", "search_document", "version", "updated_at", "created_by"),
        }
    )

    def shown_elsewhere_changed(self, before):
        """Whether saving this article changes what pages of other articles show of it.

        Args:
            before: {field attname: value} as stored before this save, or None for a new article.
        Returns:
            bool: True for a new article or any change outside SHOWN_ON_OWN_PAGE_ONLY.
        """
        if before is None:
            return True
        return any(getattr(self, name) != value for name, value in before.items())

    @classmethod
    def stored_shown_elsewhere(cls, pk):
        """{attname: value} of the fields other pages show, as stored for article `pk` (None if none is)."""
        names = [
            field.attname
            for field in cls._meta.concrete_fields
            if field.attname not in cls.SHOWN_ON_OWN_PAGE_ONLY and field.name not in cls.SHOWN_ON_OWN_PAGE_ONLY
        ]
        return cls.objects.filter(pk=pk).values(*names).first()

    @property
    def view_count(self):
        """The views added up so far (int, ArticleViews), without those still pending (news.counting)."""
        try:
            return self.views.count
        except ArticleViews.DoesNotExist:
            return 0

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)


add_renditions(Article, "cover")
add_share_rendition(Article, "cover")


class ArticlePhoto(TraditionalFilledModel):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos")
    image = UprightImageField(
        _("image"),
        upload_to=UploadPath("photos/%Y/%m/", fallback="photo"),
        max_length=255,
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.article.store_rendered_body()


add_renditions(ArticlePhoto, "image")
add_share_rendition(ArticlePhoto, "image")


def render_missing_bodies(**_signal_kwargs):
    """Give articles saved before bodies were stored as pages show them their `body_html` (after migrate)."""
    derive_rows(Article.objects.filter(body_html_zh_hans="").exclude(body_zh_hans=""))


@receiver(post_delete, sender=ArticlePhoto, dispatch_uid="article-body-without-deleted-photo")
def render_body_without_photo(sender, instance, **kwargs):
    """A deleted photo leaves its article's stored body (unless the article is being deleted too)."""
    if article := Article.objects.filter(pk=instance.article_id).first():
        article.store_rendered_body()


class Attachment(TraditionalFilledModel):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"),
        upload_to=UploadPath("attachments/%Y/%m/", fallback="attachment"),
        max_length=255,
        validators=[validate_attachment_upload],
    )
    title = models.CharField(_("title"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, editable=False, help_text=_("Downloads carry it.")
    )
    content_type = models.CharField(
        _("content type"), max_length=100, blank=True, editable=False, help_text=_("Read from the file’s content.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:attachment", kwargs={"pk": self.pk})

    @property
    def type_label(self):
        """How readers see the file's type, e.g. "PDF": from its content, not its name."""
        return type_label(self.content_type)

    @property
    def download_name(self):
        """The name the file had when uploaded (files stored before it was kept: the stored name)."""
        return self.original_name or self.stored_basename

    @property
    def stored_basename(self):
        return os.path.basename(self.file.name)

    def describe_file(self):
        """Size, original name and content type of a new upload, read from the upload itself."""
        if not self.file:
            return
        self.size = self.file.size
        if not self.file._committed:
            self.original_name = os.path.basename(self.file.name)[:255]
            self.content_type = detect_attachment_type(self.file.file, split_extension(self.file.name)[1].lower())

    def derive(self):
        """The file's size in bytes, and for a new upload its original name and type (see describe_file)."""
        self.describe_file()
        return super().derive() | {"size", "original_name", "content_type"}


class ArticleViews(models.Model):
    """How often an article was read, added up by news.counting.flush_view_counts.

    A counter, not content: kept out of the article's row and its history, so that saving,
    reverting, importing or restoring the article's text never changes it. Every article has its
    row from the start (give_article_its_views), so that the most read are read from the index.
    """

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, primary_key=True, related_name="views"
    )
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views")
        verbose_name_plural = _("article views")
        indexes = [models.Index(fields=["-count"], name="article_views_count_idx")]  # the most read first

    def __str__(self):
        return f"{self.count} views of article {self.article_id}"

    @classmethod
    def raise_to(cls, article_id, count):
        """Make the article's views at least `count` (an int from another site); never lowers them.

        Concurrent flushes are not lost: the row is changed by one conditional UPDATE.
        """
        cls.objects.bulk_create([cls(article_id=article_id)], ignore_conflicts=True)
        cls.objects.filter(pk=article_id, count__lt=count).update(count=count)


@receiver(post_save, sender=Article, dispatch_uid="article-views-row")
def give_article_its_views(sender, instance, created, **kwargs):
    """A new article's ArticleViews row, at 0 (raw saves too: a recovered or restored article)."""
    if created:
        ArticleViews.objects.bulk_create([ArticleViews(article_id=instance.pk)], ignore_conflicts=True)


class DailyViews(models.Model):
    """The views an article was read on one day (China's date), added up by flush_view_counts."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="daily_views_unique_day")]
        indexes = [models.Index(fields=["day"], name="daily_views_day_idx")]

    def __str__(self):
        return f"{self.count} views of article {self.article_id} on {self.day}"


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
    """A batch of views moved from Redis into ArticleViews and DailyViews.

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
    """When the public news changes by itself next: a scheduled article, an expiry or a pin falling due."""
    now = timezone.now()
    upcoming = Article.objects.aggregate(
        publish=models.Min("published_at", filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now)),
        expire=models.Min("unpublish_at", filter=Q(status=Article.Status.PUBLISHED, unpublish_at__gt=now)),
        unpin=models.Min("pinned_until", filter=Q(is_pinned=True, pinned_until__gt=now)),
    )
    times = [when for when in upcoming.values() if when is not None]
    return min(times) if times else None


class ArticleReviewStep(ReviewStep):
    """One step of an article's review (core.review): submitted, returned, approved, published ..."""

    item = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="review_steps")

    class Meta(ReviewStep.Meta):
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")


class ArticleAutosave(models.Model):
    """What an editor last typed in an article's form, saved every 30 seconds while editing.

    A draft of the form, never the article: reopening the form offers to restore it, saving the
    form removes it. One per editor and article (`article` is empty for an article not yet saved).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_article"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_article"
            ),
        ]

    def __str__(self):
        return f"autosave of article {self.article_id} by user {self.user_id}"


class Redirect(models.Model):
    """An old address (the old site's /news/show-123.html, or any path) answering 301 to a page here.

    Consulted only for requests that would otherwise be 404 (news.middleware). Points at an
    article (following its current address) or at a path.
    """

    old_path = models.CharField(
        _("old address"),
        max_length=400,
        unique=True,
        help_text=_("The path on the old site, starting with /, e.g. /news/show-123.html"),
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), null=True, blank=True, on_delete=models.CASCADE, related_name="redirects"
    )
    new_path = models.CharField(
        _("new address"), max_length=400, blank=True, help_text=_("A path on this site, when not an article.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["old_path"]

    def __str__(self):
        return self.old_path

    def clean(self):
        if self.old_path and not self.old_path.startswith("/"):
            raise ValidationError({"old_path": _("An old address is a path starting with /.")})
        if (self.article_id is None) == (not self.new_path):
            raise ValidationError(_("Choose an article or give a new address, not both."))
        if self.new_path and not self.new_path.startswith("/"):
            raise ValidationError({"new_path": _("A new address is a path on this site, starting with /.")})

    def target(self):
        """The path to redirect to."""
        return self.article.get_absolute_url() if self.article_id else self.new_path
