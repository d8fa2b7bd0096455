"""Admin forms for rows edited all at once in an inline: seats of a council or committee, and
member units of an office.

The rules "one current president per office", "one current seat per organisation" and the like
are conditional unique constraints on the seat models. A single seat form checks them against
the database, which is right for one seat but wrong for an inline that saves many at once: a
president whose term ends and a new president added in the same save must pass, and two new
presidents must not. So the inline's forms leave those constraints to the formset, which
applies them across every seat of the office (or committee) as they will be after the save
(`offices.services.conflicts`), and saves seats that give up a place before those that take one
(`offices.services.saving_order`).

Each row's autocomplete fields show the organisation loaded with the row, so that an office with
hundreds of member units is one query per inline, not one per row.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet

from core.admin import CheckedAutocompleteSelect
from offices import services


class LoadedAutocompleteSelect(CheckedAutocompleteSelect):
    """An autocomplete that shows the chosen object from its row, already loaded with the rows,
    instead of one query per row: an office page with hundreds of member units stays fast."""

    chosen = None  # set by RowForm

    def optgroups(self, name, value, attr=None):
        chosen = self.chosen
        if chosen is None or [str(v) for v in value if v not in (None, "")] != [str(chosen.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, chosen.pk, label, True, len(options)))
        return [(None, options, 0)]


class RowForm(forms.ModelForm):
    """A row of an inline whose autocomplete fields show the objects loaded with the row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-field wrapper
            if isinstance(widget, LoadedAutocompleteSelect):
                model_field = self._meta.model._meta.get_field(name)
                widget.chosen = getattr(self.instance, name) if model_field.is_cached(self.instance) else None


class SeatForm(RowForm):
    """A seat in an inline: every constraint but the current-holder ones, which the formset checks."""

    def validate_constraints(self):
        model = self._meta.model
        left_to_formset = services.current_holder_constraints(model)
        exclude = self._get_validation_exclusions()
        errors = {}
        for constraint in model._meta.constraints:
            if constraint in left_to_formset:
                continue
            try:
                constraint.validate(model, self.instance, exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            self._update_errors(ValidationError(errors))


class SeatsFormSet(BaseInlineFormSet):
    """All seats of one office or committee: current-holder rules checked across the whole set."""

    def seat_forms(self):
        """Forms of the seats as they will be after the save (deleted and untouched extras left out)."""
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            if form in self.extra_forms and not form.has_changed():
                continue
            yield form

    def clean(self):
        super().clean()
        forms_of = {id(form.instance): form for form in self.seat_forms()}
        messages = []
        for constraint, seats in services.conflicts([form.instance for form in forms_of.values()], within=self.fk.name):
            message = constraint.get_violation_error_message()
            field = self._field_for(constraint)
            for seat in seats:
                forms_of[id(seat)].add_error(field, message)
            names = "、".join(str(seat.organisation) for seat in seats)
            messages.append(f"{message} ({names})")
        if messages:
            raise ValidationError(messages)

    def _field_for(self, constraint):
        """The form field a constraint's error belongs to: the field the rule is about (role,
        organisation), not the parent nor the term it applies to."""
        lookups = list(_lookups(constraint.condition))
        candidates = [
            *constraint.fields,
            *(lookup for lookup, _ in lookups if "__" not in lookup),
            *(lookup.split("__")[0] for lookup, _ in lookups),
        ]
        return next((name for name in candidates if name != self.fk.name and name in self.form.base_fields), None)

    def save_existing_objects(self, commit=True):
        """Save the seats in the order that keeps the database consistent at every step:
        deleted seats first, then the others in `services.saving_order`."""
        self.changed_objects, self.deleted_objects, saved = [], [], []
        forms_of = {}
        for form in self.initial_forms:
            seat = form.instance
            if not seat._is_pk_set() or seat._state.adding:
                continue  # not a seat of this body, or already deleted
            if self._should_delete_form(form):
                self.deleted_objects.append(seat)
                self.delete_existing(seat, commit=commit)
            elif form.has_changed():
                forms_of[id(seat)] = form
        for seat in services.saving_order([form.instance for form in forms_of.values()]):
            form = forms_of[id(seat)]
            self.changed_objects.append((seat, form.changed_data))
            saved.append(self.save_existing(form, seat, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        return saved


def _lookups(condition):
    for child in condition.children:
        if isinstance(child, Q):
            yield from _lookups(child)
        else:
            yield child
