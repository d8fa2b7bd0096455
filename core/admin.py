"""What every admin of the project shares: checked autocompletes, a history that stays with its own
model and object, tabbed translations, and all-or-nothing CSV/XLSX import and export.

Imports no app of the project.
"""

from contextlib import nullcontext

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals

from core.history import revert_message, revert_object
from core.resources import decode_table_text, describe_errors
from core.review import ReviewState, TransitionNotAllowed, may_review


class ValidKeysOnlyMixin:
    """An autocomplete widget that shows again only submitted values of the key's type.

    Django's widget looks up every submitted value to show it again with the form's errors, and a
    value such as "abc" for a numeric key made that lookup fail with a server error; now the form
    just says the choice is not valid.
    """

    def optgroups(self, name, value, attr=None):
        key_field = self.field.remote_field.model._meta.get_field(
            getattr(self.field.remote_field, "field_name", None) or self.field.remote_field.model._meta.pk.name
        )
        return super().optgroups(name, [item for item in value if is_valid_key(key_field, item)], attr)


def is_valid_key(field, value):
    """Whether `value` is of the key's type and in its range (a larger number fails the query too)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class CheckedAutocompleteSelect(ValidKeysOnlyMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(ValidKeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteAdminMixin:
    """Autocomplete fields (`autocomplete_fields`) with widgets that withstand values of the wrong type."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class _ShownOnly(Exception):
    """Leaves the transaction of a revert that was only shown, undoing it."""

    def __init__(self, response):
        self.response = response


class HistoryAdmin(VersionAdmin):
    """A revertible history (django-reversion) whose pages touch only this admin's own rows.

    Every model admin with a history derives from this class. django-reversion looks a version up
    by its number alone and reverts the whole revision it belongs to; here:
    - a revision page takes only a version of this model and of the object in its address, and
      the recover page only a version of this model whose object was deleted (else 404);
    - only that object and the rows it follows are reverted, never the rest of its revision;
    - fields the user may not edit (get_readonly_fields) keep their current values;
    - opening a version needs permission to view the model, reverting to it to change it, and
      recovering a deleted object to add and change;
    - a revert or recovery is recorded in the history (a revision with the user and a comment)
      and in the admin log, saying who went back to which version.
    """

    def history_version(self, version_id, object_id=None):
        """Version `version_id` of this admin's model (and of object `object_id`), or Http404."""
        versions = Version.objects.get_for_model(self.model).select_related("revision__user")
        if object_id is not None:
            versions = versions.filter(object_id=object_id)
        return get_object_or_404(versions, pk=version_id)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        may = self.has_view_or_change_permission if request.method == "GET" else self.has_change_permission
        if not may(request):
            raise PermissionDenied
        version = self.history_version(version_id, unquote(object_id))
        context = {"title": _("Revert %(name)s") % {"name": version.object_repr}, "revert": True}
        template = self.revision_form_template or self._reversion_get_template_list("revision_form.html")
        return self.revert_form_view(request, version, template, {**context, **(extra_context or {})})

    def recover_view(self, request, version_id, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = self.history_version(version_id)
        if self.model._default_manager.filter(pk=version.object_id).exists():
            raise Http404("This object was not deleted.")
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}, "recover": True}
        template = self.recover_form_template or self._reversion_get_template_list("recover_form.html")
        return self.revert_form_view(request, version, template, {**context, **(extra_context or {})}, recovered=True)

    def revert_form_view(self, request, version, template_name, context, recovered=False):
        """The change form filled from `version`; a valid POST keeps the revert, anything else undoes it."""
        # Showing a version saves it for a moment: nothing may hear of it.
        muted = mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
        try:
            with (
                transaction.atomic(using=version.db),
                muted if request.method == "GET" else nullcontext(),
                self.create_revision(request),
            ):
                self.revert_keeping_readonly_fields(request, version)
                request.history_revert = revert_message(version, recovered)
                response = self.changeform_view(request, quote(version.object_id), request.path, context)
                if request.method == "POST" and response.status_code == 302:
                    reversion.set_comment(request.history_revert)
                    return response
                if response.status_code != 200:
                    raise RevertError(_("Could not load %(object)s as it was.") % {"object": version.object_repr})
                response.template_name = template_name
                response.render()
                raise _ShownOnly(response)
        except (RevertError, ProtectedError) as error:
            messages.error(request, str(error))
            return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
        except _ShownOnly as shown:
            return shown.response

    def revert_keeping_readonly_fields(self, request, version):
        """Revert `version`'s object; the fields this user may not edit keep their current values."""
        rows = self.model._default_manager.using(version.db).filter(pk=version.object_id)
        current = rows.first()
        kept = {}
        if current is not None:
            fields = {field.name: field.attname for field in self.opts.concrete_fields}
            readonly = [fields[name] for name in self.get_readonly_fields(request, current) if name in fields]
            kept = {attname: getattr(current, attname) for attname in readonly}
        revert_object(version)
        if kept:
            rows.update(**kept)

    def log_change(self, request, obj, message):
        # A save from a revision or recover page is a revert: the log says to which version.
        return super().log_change(request, obj, getattr(request, "history_revert", None) or message)


class HistoryTranslationAdmin(CheckedAutocompleteAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    """Tabbed zh-hans / en / zh-hant fields, with every change kept in a revertible history."""


class RosterImportExportMixin(ImportExportMixin):
    """CSV and XLSX import and export, all or nothing, recorded in the history.

    The preview (a dry run) lists every invalid row by number and offers no confirmation while
    any row is invalid. Only staff who may add and change the rows may import.
    """

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_template_name = "admin/core/roster_import.html"

    class Media:
        css = {"all": ["core/admin.css"]}

    # A byte order mark, so that spreadsheet programs open exported CSV files as UTF-8.
    to_encoding = "utf-8-sig"

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def write_to_tmp_storage(self, import_file, input_format):
        if not input_format.is_binary():
            # CSV files saved by spreadsheet programs in a Chinese locale are GB 18030, not UTF-8.
            text = decode_table_text(b"".join(import_file.chunks()))
            import_file = ContentFile(text.encode(self.from_encoding), name=import_file.name)
        return super().write_to_tmp_storage(import_file, input_format)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The rows changed since the preview; the import was rolled back.
            for line in describe_errors(result):
                messages.error(request, line)
            messages.error(request, _("Nothing was imported. Correct the file and import it again."))
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)


# Review before publication (core.review), shared by the admins of reviewed models (articles, events).
class ReviewStateFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [*ReviewState.choices, ("pending", _("Edited after publication"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(pending_revision__isnull=False)
        if self.value() in ReviewState.values:
            return queryset.filter(review_state=self.value())
        return queryset


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning it: say what should change."),
    )


class ReviewAdminMixin:
    """Review before publication in a model's admin (core/review.py): the *Review* page, the form's
    "Save and submit for review" button and the review steps shown in the object's history.

    A subclass names its app's review services, each called as `service(item, user=..., comment=...)`:
    `submit_for_review`, `approve_publication` and `send_back` (staticmethods), and its step model
    as `review_step_model`. It adds `path("<path:object_id>/review/", ..., name=review_url_name)`.
    """

    submit_for_review = approve_publication = send_back = None
    review_step_model = None

    @property
    def review_url_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}_review"

    def review_url(self):
        return path("<path:object_id>/review/", self.admin_site.admin_view(self.review_view), name=self.review_url_name)

    def response_add(self, request, obj, post_url_continue=None):
        if "_submit_review" in request.POST:
            self.submit_from_form(request, obj)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_submit_review" in request.POST:
            self.submit_from_form(request, obj)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        return super().response_change(request, obj)

    def submit_from_form(self, request, item):
        try:
            self.submit_for_review(item, user=request.user)
        except TransitionNotAllowed as error:
            self.message_user(request, error.messages[0], messages.ERROR)
        else:
            self.message_user(request, gettext("Submitted for review. The reviewers have been told."), messages.SUCCESS)

    def review_view(self, request, object_id):
        """An item's review: its steps, and submitting, approving or returning it with a comment."""
        item = self.get_object(request, object_id)
        if item is None:
            raise Http404
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decision = request.POST.get("decision")
            steps = {
                "submit": (self.submit_for_review, gettext("Submitted for review. The reviewers have been told.")),
                "approve": (self.approve_publication, gettext("Approved. The writer has been told.")),
                "return": (self.send_back, gettext("Returned to the writer with your comment.")),
            }
            may = (
                self.has_change_permission(request, item)
                if decision == "submit"
                else may_review(request.user, self.model)
            )
            if decision not in steps or not may:
                raise PermissionDenied
            service, done = steps[decision]
            try:
                service(item, user=request.user, comment=form.cleaned_data["comment"])
            except PermissionError as error:
                self.message_user(request, str(error), messages.ERROR)
            except (TransitionNotAllowed, ValidationError) as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect(f"admin:{self.review_url_name}", item.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review of “%(article)s”") % {"article": item},
            "opts": self.opts,
            "original": item,
            "item": item,
            "steps": item.review_steps.select_related("user"),
            "form": form,
            "may_submit": self.has_change_permission(request, item)
            and item.review_state in (ReviewState.DRAFT, ReviewState.RETURNED),
            "may_decide": may_review(request.user, self.model) and item.review_state == ReviewState.SUBMITTED,
            "own_item": request.user.pk in item.review_authors() and not request.user.is_superuser,
        }
        return TemplateResponse(request, "admin/review/review.html", context)

    def history_view(self, request, object_id, extra_context=None):
        steps = self.review_step_model.objects.filter(item_id=object_id).select_related("user")
        return super().history_view(request, object_id, {**(extra_context or {}), "review_steps": steps})
