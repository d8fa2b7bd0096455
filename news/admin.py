import calendar
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin import (
    CheckedAutocompleteAdminMixin,
    HistoryAdmin,
    HistoryTranslationAdmin,
    ReviewAdminMixin,
    ReviewStateFilter,
    RosterImportExportMixin,
)
from core.cache import VersionedCountPaginator
from core.review import ReviewState, may_review, review_required, revision_many_to_many
from core.search import SEARCH_COUNT_LIMIT
from events.models import Event, may_preview_events
from news import services
from news.models import Article, ArticleAutosave, ArticlePhoto, Attachment, Category, Redirect
from news.resources import RedirectResource

STALE_ARTICLE_MESSAGE = _(
    "Someone else saved this article at %(time)s, after you opened it. Your changes are not "
    "saved: open the article again (in a new tab) to see theirs, then make yours."
)

BODY_LANGUAGES = ("zh_hans", "en", "zh_hant")
PUBLISHING_FIELDS = ["status", "published_at", "unpublish_at", "is_pinned", "pinned_until"]
# Under review, the status changes by review only, and the times an editor asks for are reviewed.
REVIEWED_PUBLISHING_FIELDS = ["status", "is_pinned", "pinned_until"]
RELATION_FIELDS = ("offices", "organisations", "people")
# What an autosave keeps: the form's text, never files, nor the edit number the form was opened at.
NOT_AUTOSAVED = {"opened_version", "cover"}
AUTOSAVE_SECONDS = 30


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

    opened_version = forms.IntegerField(label=_("edit number when opened"), widget=forms.HiddenInput, required=False)

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
class ArticleAdmin(ReviewAdminMixin, HistoryTranslationAdmin):
    submit_for_review = staticmethod(services.submit_for_review)
    approve_publication = staticmethod(services.approve)
    send_back = staticmethod(services.send_back)
    review_step_model = Article.review_steps.rel.related_model
    form = ArticleAdminForm
    list_display = ["title", "category", "status_label", "published_at", "view_count", "is_pinned", "review_label"]
    list_display_links = ["title"]
    # Every office is listed: finding the offices that have articles would read every article.
    list_filter = [ReviewStateFilter, "status", "category", "is_pinned", "offices", "published_at"]
    list_select_related = ["category", "views"]
    search_fields = ["title_zh_hans", "title_en"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["offices", "organisations", "people", "event"]
    readonly_fields = ["view_count", "created_by", "last_edited_by", "created_at", "updated_at", "preview_link"]
    inlines = [ArticlePhotoInline, AttachmentInline]
    actions = ["publish", "unpublish", "pin", "unpin"]
    list_per_page = 50
    show_full_result_count = False
    # The review and save controls stay at the top of the screen (a sticky bar, article.css).
    save_on_top = True
    change_form_template = "admin/news/article/change_form.html"
    object_history_template = "admin/review/object_history.html"
    fieldsets = [
        (None, {"fields": ["title", "category", "summary", ("cover", "cover_alt"), "body", "opened_version"]}),
        (
            _("Publishing"),
            {"fields": [("published_at", "unpublish_at"), "status", ("is_pinned", "pinned_until"), "preview_link"]},
        ),
        (_("Address, source and author"), {"fields": ["slug", "source", "author"], "classes": ["collapse"]}),
        (_("About"), {"fields": ["offices", "organisations", "people", "event"], "classes": ["collapse"]}),
        (
            _("Record"),
            {
                "fields": ["view_count", "created_by", "last_edited_by", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["news/admin/article.css"]}
        js = ["news/admin/article-form.js"]

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "news_article_changelist":
            # The list shows no bodies. The ChangeList joins list_select_related only to a queryset
            # that joins nothing yet, and for_listing() joins the category: the views are named here.
            return articles.for_listing().select_related("views")
        return articles.select_related("views").defer("search_document")

    def reversion_register(self, model, **kwargs):
        # The edit counter tells whether the row changed since a form was opened: a revert is one
        # more change, never a way back to an old number (core.history keeps it as it is). The
        # review's own fields change by review steps, which a revert must not undo.
        if model is Article:
            kwargs["exclude"] = ["version", *Article.review_fields]
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
        view = self.admin_site.admin_view
        own = [
            path("calendar/", view(self.calendar_view), name="news_article_calendar"),
            path("autosave/", view(self.autosave_view), name="news_article_autosave"),
            path("<path:object_id>/photos/", view(self.photo_picker_view), name="news_article_photos"),
            self.review_url(),
        ]
        return [*own, *super().get_urls()]

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.resolver_match.url_name == "news_article_change":
            # The form edits the pending revision of a published article, not its public text.
            services.with_pending_revision(article)
        return article

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
        initial = self.form_initial(request, obj)
        if not initial:
            return form

        class WithInitial(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not self.is_bound:
                    self.initial.update({name: value for name, value in initial.items() if name in self.fields})

        WithInitial.__name__ = form.__name__
        return WithInitial

    def form_initial(self, request, obj):
        """What a form opened with GET shows over the saved article: the relations of a pending
        revision, and, when the editor asked to restore it, their autosave."""
        if request.method != "GET":
            return {}
        initial = {}
        if obj is not None and obj.pending_revision is not None:
            initial.update(revision_many_to_many(obj.pending_revision))
        if request.GET.get("restore") == "autosave" and (autosaved := self.autosave_of(request, obj)):
            initial.update(autosaved.data)
        return initial

    def autosave_of(self, request, obj):
        return ArticleAutosave.objects.filter(user=request.user, article_id=obj.pk if obj else None).first()

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if review_required():
            # The status changes by review; pins are for reviewers.
            return [*readonly, *(REVIEWED_PUBLISHING_FIELDS if may_review(request.user, Article) else ["status"])]
        if not self.has_publish_permission(request):
            return [*readonly, *PUBLISHING_FIELDS]
        return readonly

    def get_actions(self, request, *args, **kwargs):
        actions = super().get_actions(request, *args, **kwargs)
        if review_required():
            actions.pop("publish", None)  # under review, approval publishes
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if request.method == "GET":
            article = self.get_object(request, object_id) if object_id else None
            autosaved = self.autosave_of(request, article)
            if autosaved and request.GET.get("restore") != "autosave":
                extra_context["autosaved"] = autosaved
        extra_context["autosave_url"] = reverse("admin:news_article_autosave")
        extra_context["autosave_seconds"] = AUTOSAVE_SECONDS
        extra_context["review_required"] = review_required()
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if change and services.edits_need_review(Article.objects.get(pk=obj.pk)):
            relations = {
                name: [item.pk for item in form.cleaned_data[name]]
                for name in RELATION_FIELDS
                if name in form.cleaned_data
            }
            services.save_pending_revision(obj, user=request.user, many_to_many=relations)
            request.saved_as_revision = True
            self.message_user(
                request,
                gettext(
                    "Your changes are kept as a revision awaiting review: the published text stays public until a "
                    "reviewer approves them. Submit them for review when ready."
                ),
                messages.INFO,
            )
        else:
            obj.last_edited_by = request.user
            super().save_model(request, obj, form, change)
        services.discard_autosave(obj.pk if change else None, request.user)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "saved_as_revision", False):
            # The relations wait in the revision; photos and attachments are saved as they are.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)

    def autosave_view(self, request):
        """Keep what the editor typed in the article form (POSTed every 30 s by article-form.js)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article_id = request.POST.get("_autosave_article") or None
        article = self.get_object(request, article_id) if article_id else None
        if article_id and article is None:
            raise Http404
        may = self.has_change_permission(request, article) if article else self.has_add_permission(request)
        if not may:
            raise PermissionDenied
        form = self.get_form(request, article, change=article is not None)(request.POST, instance=article)
        data = {
            name: form[name].data
            for name, field in form.fields.items()
            if name not in NOT_AUTOSAVED and not isinstance(field, forms.FileField)
        }
        autosaved = services.autosave(article.pk if article else None, request.user, data)
        return JsonResponse({"saved_at": localize(timezone.localtime(autosaved.saved_at))})

    def calendar_view(self, request):
        """A month of what is scheduled to publish or expire, per day (China's dates): articles and events,
        each for those who may see them in the admin."""
        may_articles = self.has_view_or_change_permission(request)
        may_events = may_preview_events(request.user)
        if not (may_articles or may_events):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year, month = (int(part) for part in request.GET.get("month", "").split("-"))
            first = datetime.date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(weeks[0][0], datetime.time(), zone)
        end = datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time(), zone)
        entries = {}
        for model, may in ((Article, may_articles), (Event, may_events)):
            if not may:
                continue
            planned = model.objects.filter(status=model.Status.PUBLISHED) | model.objects.filter(
                review_state=ReviewState.SUBMITTED
            )
            planned = planned.only("id", "title", "status", "review_state", "published_at", "unpublish_at")
            change = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
            for field, kind in (("published_at", "publish"), ("unpublish_at", "expire")):
                for item in planned.filter(**{f"{field}__gte": start, f"{field}__lt": end}):
                    when = getattr(item, field)
                    url = reverse(change, args=[item.pk])
                    entries.setdefault(timezone.localdate(when), []).append((kind, when, item, url, model is Event))
        days = [
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "entries": sorted(entries.get(day, []), key=lambda e: (e[1], e[4], e[2].pk)),
                }
                for day in week
            ]
            for week in weeks
        ]
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Editorial calendar"),
            "opts": self.opts,
            "month": first,
            "weeks": days,
            "weekdays": [date_format(day, "D") for day in weeks[0]],
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
        }
        return TemplateResponse(request, "admin/news/article/calendar.html", context)

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

    @admin.display(description=_("views"), ordering="views__count")
    def view_count(self, article):
        """The views added up so far (those of the last minute are still pending)."""
        return article.view_count

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        if article.is_scheduled:
            when = localize(timezone.localtime(article.published_at))
            return format_html('<span title="{}">{}</span>', when, _("Scheduled"))
        if article.is_expired:
            when = localize(timezone.localtime(article.unpublish_at))
            return format_html('<span title="{}">{}</span>', when, _("Expired"))
        return article.get_status_display()

    @admin.display(description=_("review"), ordering="review_state")
    def review_label(self, article):
        label = article.get_review_state_display()
        if article.pending_revision is not None:
            return format_html("{} · {}", label, _("edited after publication"))
        return label

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if not article.pk:
            return _("Save the article to preview it.")
        label = _("View on site") if article.is_published else _("Preview (visible to staff only)")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), label)

    def has_publish_permission(self, request):
        """Publishing, unpinning and pinning: under review, for reviewers; without, for Editors too."""
        if review_required():
            return may_review(request.user, Article)
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


@admin.register(Redirect)
class RedirectAdmin(CheckedAutocompleteAdminMixin, RosterImportExportMixin, HistoryAdmin):
    """Old addresses answering 301; imported from CSV or XLSX (old_path, new_path or article) with a preview."""

    resource_classes = [RedirectResource]
    list_display = ["old_path", "article", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]
    autocomplete_fields = ["article"]
    fields = ["old_path", "article", "new_path"]
    list_select_related = ["article"]
