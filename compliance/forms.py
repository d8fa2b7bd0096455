"""The consent component every public form that takes personal information uses.

A form adds `ConsentFormMixin` before its form class, names its purpose and how long it keeps
what it takes, and renders the box with `{% include "compliance/includes/consent.html" %}`:

    class RegistrationForm(ConsentFormMixin, forms.ModelForm):
        consent_purpose = _("to register you for the event and tell you of changes to it")
        consent_retention = _("until one year after the event")

A ModelForm whose model inherits `compliance.models.ConsentRecord` has the time and the policy
version stamped on the instance by `save()`; any other form calls `record_consent(obj)`.

Source of the rule: Personal Information Protection Law of the PRC (PIPL), art. 14 (consent
given freely, explicitly and in full knowledge; separately where the law requires), art. 17
(what the person must be told first: who processes, the purpose, the kinds of data, how long
they are kept, how to exercise their rights).
"""

import re

from django import forms
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from compliance.models import ContactMessage, PrivacyPolicy


class ConsentFormMixin:
    """An unticked, required `consent` box with the policy link and a short notice, and the
    version of the policy shown (`consent_version`, hidden).

    A form submitted without the box ticked is refused with a message in the visitor's language;
    so is one whose policy version is no longer the one in force (the person must see the new
    text), or any submission while no version is in force.
    """

    # What the form's data is used for and how long it is kept, completing "We use it ..." and
    # "We keep it ..." (lazy translated strings). Each form states its own.
    consent_purpose = _("to answer you")
    consent_retention = _("for as long as that takes, and at most two years")

    consent_required_message = _(
        "Please tick the box to agree to the privacy policy. Without your consent we cannot take this form."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self.consent_policy
        self.fields["consent"] = forms.BooleanField(
            required=True,
            initial=False,
            label=self.consent_label(policy),
            help_text=self.consent_notice(),
            error_messages={"required": self.consent_required_message},
        )
        # Rendered by the partial with the version in force, not the one a refused submission sent.
        self.fields["consent_version"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        self.fields["consent"].widget.attrs["aria-describedby"] = f"{self['consent'].auto_id}_notice"

    @cached_property
    def consent_policy(self):
        """The privacy policy version in force as the form is made (one query), or None."""
        return PrivacyPolicy.objects.current()

    def consent_label(self, policy):
        """The box's label: agreement to the policy, linked, with its version number."""
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("privacy"),
            _("privacy policy (version %(version)s)") % {"version": policy.version} if policy else _("privacy policy"),
        )
        return format_html(
            str(_("I have read the {policy} and agree to the processing of my personal information described here.")),
            policy=link,
        )

    def consent_notice(self):
        """Who processes, why, how long, and the person's rights, in one short paragraph."""
        return format_html(
            str(
                _(
                    "The alliance secretariat processes what you enter here {purpose}, and keeps it "
                    "{retention}. You may see, correct, copy or delete it, and withdraw your consent "
                    "at any time, by writing to the secretariat (see the {policy})."
                )
            ),
            purpose=self.consent_purpose,
            retention=self.consent_retention,
            policy=format_html('<a href="{}">{}</a>', reverse("privacy"), _("privacy policy")),
        )

    def clean(self):
        cleaned_data = super().clean()
        policy = self.consent_policy
        if policy is None:
            raise forms.ValidationError(
                _("No privacy policy is in force, so no personal information can be taken."), code="no_policy"
            )
        shown = cleaned_data.get("consent_version")
        if shown is not None and shown != policy.version and cleaned_data.get("consent"):
            self.add_error(
                "consent",
                forms.ValidationError(
                    _(
                        "The privacy policy has changed since this form was opened (now version %(version)s). "
                        "Please read it and tick the box again."
                    ),
                    code="policy_changed",
                    params={"version": policy.version},
                ),
            )
            # Shown again unticked: the agreement was to the old text.
            self.data = self.data.copy()
            self.data.pop(self.add_prefix("consent"), None)
        return cleaned_data

    def record_consent(self, obj):
        """Stamp the consent on `obj` (a `ConsentRecord`): now, and the policy version in force.

        Call only after `is_valid()` returned True.
        """
        obj.record_consent(self.consent_policy)
        return obj

    def save(self, commit=True):
        self.record_consent(self.instance)
        return super().save(commit=commit)


# A mainland mobile number: 11 digits starting 13-19, with or without +86 / 0086, spaces or dashes.
# Source: MIIT numbering plan (电信网编号计划), mobile numbers 1[3-9]X XXXX XXXX.
_MOBILE = re.compile(r"(?:\+?86|0086)?1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()]")


def normalise_contact(value):
    """An e-mail address (lower-cased domain) or a mainland mobile number (11 digits), else ValidationError.

    Args:
        value: what the visitor typed, e.g. "Wang@Example.COM", "+86 138-0000-0000".
    Returns:
        str: "Wang@example.com" or "13800000000".
    Raises:
        ValidationError: neither an e-mail address nor a mainland mobile number.
    """
    value = value.strip()
    if "@" in value:
        validate_email(value)
        local, _at, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    digits = _SEPARATORS.sub("", value)
    if _MOBILE.fullmatch(digits):
        return digits[-11:]
    raise forms.ValidationError(_("Enter an e-mail address or an 11-digit mobile number."), code="invalid_contact")


class ContactForm(ConsentFormMixin, forms.ModelForm):
    """The contact form: who, how to answer, the message, consent; `website` is a trap for robots."""

    consent_purpose = _("to answer your message")
    consent_retention = _("for two years from receipt")

    # Hidden from people (by CSS and from assistive technology); robots filling every field fill it.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = ContactMessage
        fields = ["name", "organisation", "contact", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 5000})}
        error_messages = {
            "name": {"required": _("Please give your name.")},
            "contact": {"required": _("Please give an e-mail address or mobile number for the answer.")},
            "message": {"required": _("Please write your message.")},
        }

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_contact(self):
        return normalise_contact(self.cleaned_data["contact"])

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Please write your message."), code="required")
        return message

    def is_spam(self):
        """Whether the trap field was filled (only robots see it). Call after is_valid()."""
        return bool(self.cleaned_data.get("website"))
