from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR, ChangeList
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from alliance_site.cache import VersionedCountPaginator
from alliance_site.search import SEARCH_COUNT_LIMIT
from members.admin import HistoryTranslationAdmin
from news.models import Article, ArticlePhoto, Attachment, Category


@admin.register(Category)
class CategoryAdmin(HistoryTranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_zh_hans", "name_en"]
    fields = ["name", "slug", "order", "description"]


class ArticlePhotoInline(TranslationStackedInline):
    model = ArticlePhoto
    fields = ["image", "caption", "alt_text", "credit", "people_shown", "order"]
    autocomplete_fields = ["people_shown"]
    extra = 0


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
                    _(
                        "Someone else saved this article at %(time)s, after you opened it. Your changes are not "
                        "saved: open the article again (in a new tab) to see theirs, then make yours."
                    ),
                    code="stale",
                    params={"time": localize(timezone.localtime(current["updated_at"]))},
                )
        return cleaned


class ArticleChangeList(ChangeList):
    """The article list; while searching, without the date drill-down, which would read every match."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query:
            self.date_hierarchy = None


@admin.register(Article)
class ArticleAdmin(HistoryTranslationAdmin):
    form = ArticleAdminForm
    list_display = ["title", "category", "status_label", "published_at", "view_count", "is_pinned"]
    list_display_links = ["title"]
    # Every office is listed: finding the offices that have articles would read every article.
    list_filter = ["status", "category", "is_pinned", "offices", "published_at"]
    list_select_related = ["category"]
    search_fields = ["title_zh_hans", "title_en"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["offices", "organisations", "people"]
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
        (_("About"), {"fields": ["offices", "organisations", "people"]}),
        (
            _("Record"),
            {"fields": ["view_count", "created_by", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "news_article_changelist":
            return articles.for_listing()  # the list shows no bodies
        return articles.defer("search_document")

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

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            return format_html('<span title="{}">{}</span>', localize(article.published_at), _("Scheduled"))
        return article.get_status_display()

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if not article.pk:
            return _("Save the article to preview it.")
        label = _("View on site") if article.is_published else _("Preview (visible to staff only)")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), label)

    def has_publish_permission(self, request):
        return request.user.has_perm("news.publish_article")

    def _update_each(self, request, queryset, message, **changes):
        for article in queryset:
            for name, value in changes.items():
                setattr(article, name, value(article) if callable(value) else value)
            article.save()
        self.message_user(request, message % {"count": len(queryset)}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        self._update_each(
            request,
            queryset,
            _("%(count)d articles published."),
            status=Article.Status.PUBLISHED,
            published_at=lambda a: a.published_at or timezone.now(),
        )

    @admin.action(description=_("Unpublish the selected articles (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._update_each(request, queryset, _("%(count)d articles returned to draft."), status=Article.Status.DRAFT)

    @admin.action(description=_("Pin the selected articles"), permissions=["publish"])
    def pin(self, request, queryset):
        self._update_each(request, queryset, _("%(count)d articles pinned."), is_pinned=True)

    @admin.action(description=_("Unpin the selected articles"), permissions=["publish"])
    def unpin(self, request, queryset):
        self._update_each(request, queryset, _("%(count)d articles unpinned."), is_pinned=False, pinned_until=None)
