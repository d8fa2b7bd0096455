from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.csp import get_nonce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin import CheckedAutocompleteAdminMixin, HistoryTranslationAdmin
from core.cache import VersionedCountPaginator
from core.search import SEARCH_COUNT_LIMIT
from news import services
from news.models import Article, ArticlePhoto, Attachment, Category

STALE_ARTICLE_MESSAGE = _(
    "Someone else saved this article at %(time)s, after you opened it. Your changes are not "
    "saved: open the article again (in a new tab) to see theirs, then make yours."
)

BODY_LANGUAGES = ("zh_hans", "en", "zh_hant")
PUBLISHING_FIELDS = ["status", "published_at", "is_pinned", "pinned_until"]


@admin.register(Category)
class CategoryAdmin(HistoryTranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_zh_hans", "name_en"]
    fields = ["name", "slug", "order", "description"]


def thumbnail(photo):
    if not photo.image:
        return ""
    return format_html('<img src="{}" alt="" width="160" class="news-thumbnail">', photo.image_webp_480.url)


class ArticlePhotoInline(CheckedAutocompleteAdminMixin, TranslationStackedInline):
    model = ArticlePhoto
    fields = ["preview", "image", "caption", "alt_text", "credit", "people_shown", "order"]
    readonly_fields = ["preview"]
    autocomplete_fields = ["people_shown"]
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, photo):
        return thumbnail(photo) or "—"


class AttachmentInline(TranslationTabularInline):
    model = Attachment
    fields = ["file", "title", "order"]
    extra = 0


class ArticleAdminForm(forms.ModelForm):
    """Refuses to overwrite changes another editor saved after this form was opened."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            opened_at = cleaned.get("opened_version")
            current = (
                Article.objects.select_for_update().filter(pk=self.instance.pk).values("version", "updated_at").first()
            )
            if current and opened_at is not None and opened_at != current["version"]:
                raise forms.ValidationError(
                    STALE_ARTICLE_MESSAGE,
                    code="stale",
                    params={"time": localize(timezone.localtime(current["updated_at"]))},
                )
        return cleaned


class PhotoUploadForm(forms.ModelForm):
    class Meta:
        model = ArticlePhoto
        fields = ["image", "alt_text_zh_hans", "caption_zh_hans", "credit"]


class ArticleChangeList(ChangeList):
    """The article list; while searching, without the date drill-down, which would read every match."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query:
            self.date_hierarchy = None

    def get_queryset(self, request, exclude_parameters=None):
        articles = super().get_queryset(request, exclude_parameters)
        if "view_count" in {self.list_display[column] for column in self.get_ordering_field_columns()}:
            # Every article has its views row: an inner join lets the database read the most (or
            # least) read from the index on the count, instead of sorting every article.
            return articles.filter(views__isnull=False)
        return articles


@admin.register(Article)
class ArticleAdmin(HistoryTranslationAdmin):
    form = ArticleAdminForm
    list_display = ["title", "category", "status_label", "published_at", "view_count", "is_pinned"]
    list_display_links = ["title"]
    # Every office is listed: finding the offices that have articles would read every article.
    list_filter = ["status", "category", "is_pinned", "offices", "published_at"]
    list_select_related = ["category", "views"]
    search_fields = ["title_zh_hans", "title_en"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["offices", "organisations", "people", "event"]
    readonly_fields = ["view_count", "created_by", "created_at", "updated_at", "preview_link"]
    inlines = [ArticlePhotoInline, AttachmentInline]
    actions = ["publish", "unpublish", "pin", "unpin"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body", "opened_version"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "is_pinned", "pinned_until", "preview_link"]}),
        (_("Cover"), {"fields": ["cover", "cover_alt"]}),
        (_("Source"), {"fields": ["source", "author"]}),
        (_("About"), {"fields": ["offices", "organisations", "people", "event"]}),
        (
            _("Record"),
            {"fields": ["view_count", "created_by", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["news/admin/article.css"]}

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "news_article_changelist":
            return articles.for_listing()  # the list shows no bodies
        return articles.select_related("views").defer("search_document")

    def reversion_register(self, model, **kwargs):
        # The edit counter tells whether the row changed since a form was opened: a revert is one
        # more change, never a way back to an old number (core.history keeps it as it is).
        if model is Article:
            kwargs["exclude"] = ["version"]
        super().reversion_register(model, **kwargs)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """Counted once per content version; a search is counted up to SEARCH_COUNT_LIMIT."""
        params = sorted((key, value) for key, value in request.GET.lists() if key not in (PAGE_VAR, ORDER_VAR))
        return VersionedCountPaginator(
            queryset,
            per_page,
            name=f"admin-articles|{params}",
            limit=SEARCH_COUNT_LIMIT if request.GET.get(SEARCH_VAR, "").strip() else None,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )

    def get_urls(self):
        picker = path(
            "<path:object_id>/photos/", self.admin_site.admin_view(self.photo_picker_view), name="news_article_photos"
        )
        return [picker, *super().get_urls()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk:
            # The editor's "Browse…" button in the figure dialog lists this article's photos.
            picker_url = reverse("admin:news_article_photos", args=[obj.pk])
            for language in BODY_LANGUAGES:
                widget = form.base_fields[f"body_{language}"].widget
                extensions = {
                    **widget.config["extensions"],
                    "Figure": {"pickerUrl": f"{picker_url}?language={language}"},
                }
                widget.config = {**widget.config, "extensions": extensions}
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request):
            return [*readonly, *PUBLISHING_FIELDS]
        return readonly

    def photo_picker_view(self, request, object_id):
        """The article's photos, to place one in the body (opened by the editor's figure dialog)."""
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        may_upload = request.user.has_perm("news.add_articlephoto")
        upload_form = PhotoUploadForm(request.POST or None, request.FILES or None) if may_upload else None
        if request.method == "POST" and upload_form is not None and upload_form.is_valid():
            services.add_photo(article, upload_form.save(commit=False), user=request.user)
            return redirect(request.get_full_path())
        language = request.GET.get("language", "zh_hans")
        language = language if language in BODY_LANGUAGES else "zh_hans"
        photos = [
            {
                "photo": photo,
                "thumbnail": thumbnail(photo),
                "url": photo.image_webp_960.url,
                "caption": getattr(photo, f"caption_{language}") or photo.caption_zh_hans,
                "alt": getattr(photo, f"alt_text_{language}") or photo.alt_text_zh_hans,
            }
            for photo in article.photos.all()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Photos of “%(article)s”") % {"article": article},
            "opts": self.opts,
            "article": article,
            "photos": photos,
            "upload_form": upload_form,
            "is_popup": True,
            "media": self.media + (upload_form.media if upload_form else forms.Media()),
        }
        return TemplateResponse(request, "admin/news/article/photo_picker.html", context)

    def get_search_results(self, request, queryset, search_term):
        """Title and body, through the same index as the public search."""
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script: it carries the CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=get_nonce(request))
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("views"), ordering="views__count")
    def view_count(self, article):
        """The views added up so far (those of the last minute are still pending)."""
        return article.view_count

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            when = localize(timezone.localtime(article.published_at))
            return format_html('<span title="{}">{}</span>', when, _("Scheduled"))
        return article.get_status_display()

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if not article.pk:
            return _("Save the article to preview it.")
        label = _("View on site") if article.is_published else _("Preview (visible to staff only)")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), label)

    def has_publish_permission(self, request):
        return request.user.has_perm("news.publish_article")

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        count = len(services.publish(queryset, user=request.user))
        message = ngettext("%(count)d article published.", "%(count)d articles published.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected articles (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = len(services.unpublish(queryset, user=request.user))
        message = ngettext("%(count)d article returned to draft.", "%(count)d articles returned to draft.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Pin the selected articles"), permissions=["publish"])
    def pin(self, request, queryset):
        count = len(services.pin(queryset, user=request.user))
        message = ngettext("%(count)d article pinned.", "%(count)d articles pinned.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpin the selected articles"), permissions=["publish"])
    def unpin(self, request, queryset):
        count = len(services.unpin(queryset, user=request.user))
        message = ngettext("%(count)d article unpinned.", "%(count)d articles unpinned.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
