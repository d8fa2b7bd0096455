"""The application form, its amendment, and the liaison's profile form."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from compliance.forms import ConsentFormMixin
from core.uploads import split_extension, validate_attachment_upload, validate_image_upload
from membership.models import MembershipApplication, ProfileChange, Stage
from offices.models import Office

LICENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}


def normalise_credit_code(value):
    """A unified social credit code (统一社会信用代码) as stored: 18 characters, upper case, check
    character verified (GB 32100-2015, via python-stdnum's stdnum.cn.uscc).

    Raises:
        ValidationError: with a message naming what is wrong.
    """
    try:
        return uscc.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="credit_code_length") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("This unified social credit code's check character (the last one) is wrong. Please check the code."),
            code="credit_code_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This is not a valid unified social credit code (digits and capital letters, no I, O, S, V or Z)."),
            code="credit_code_format",
        ) from None


def normalise_mobile(value):
    """A mainland China mobile number as stored (E.164, "+8613912345678"), checked with phonenumbers.

    Raises:
        ValidationError: not a valid mainland mobile number.
    """
    invalid = ValidationError(
        _("Enter a mainland China mobile number of 11 digits, e.g. 139 1234 5678."), code="mobile"
    )
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise invalid from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_licence(upload):
    """A business licence scan: a PDF, JPEG or PNG, judged by its content, within the limits."""
    extension = split_extension(upload.name)[1].lower()
    if extension not in LICENCE_EXTENSIONS:
        raise ValidationError(_("Upload the business licence as a PDF, JPEG or PNG file."), code="licence_type")
    if extension == ".pdf":
        validate_attachment_upload(upload)
    else:
        validate_image_upload(upload)


class ApplicationFields(forms.ModelForm):
    """The fields of an application and their checks, as applying and amending share them."""

    class Meta:
        model = MembershipApplication
        fields = [
            "name",
            "name_en",
            "kind",
            "credit_code",
            "address",
            "website",
            "description",
            "offices",
            "contact_name",
            "contact_title",
            "contact_mobile",
            "contact_email",
            "licence",
        ]
        widgets = {
            "offices": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offices"].queryset = Office.objects.order_by("ordinal", "pk")
        self.fields["licence"].required = not self.instance.licence
        self.fields["licence"].help_text = _("A scan or photo of the business licence: PDF, JPEG or PNG.")
        self.fields["credit_code"].help_text = _("18 characters, as on the business licence.")
        self.fields["contact_mobile"].widget.input_type = "tel"
        self.fields["credit_code"].widget.attrs.update(autocomplete="off", spellcheck="false")
        if self.instance.pk:
            self.fields["credit_code"].disabled = True

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        others = MembershipApplication.objects.filter(credit_code=code, stage__in=Stage.open_stages())
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _(
                    "An application for this credit code is already under review. The link in the e-mail "
                    "we sent shows where it stands."
                ),
                code="duplicate",
            )
        return code

    def clean_contact_mobile(self):
        return normalise_mobile(self.cleaned_data["contact_mobile"])

    def clean_licence(self):
        licence = self.cleaned_data.get("licence")
        if licence and not getattr(licence, "_committed", False):
            validate_licence(licence)
        return licence


class ApplicationForm(ConsentFormMixin, ApplicationFields):
    """入会申请: the organisation, the offices it wants to join, its contact person, its licence,
    and the applicant's consent (recorded with the time and the privacy policy version)."""

    consent_purpose = _("to review your application to join the alliance and, once admitted, to manage the membership")
    consent_retention = _(
        "while the application is under review and the membership lasts; the contact details of a "
        "rejected application for a limited number of days"
    )

    # A field people never see; bots that fill every field give themselves away.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))

    def is_bot(self):
        return bool(self.data.get(self.add_prefix("homepage")))


class AmendmentForm(ApplicationFields):
    """The applicant's amendment of a returned application, through the status link. The consent
    given with the application stands; a new licence may be uploaded."""


class ProfileForm(forms.ModelForm):
    """A liaison's edit of the organisation's public profile (reviewed by staff before it shows)."""

    class Meta:
        model = ProfileChange
        fields = ["description_zh_hans", "description_en", "website", "address_zh_hans", "public_contact", "logo"]
        widgets = {
            "description_zh_hans": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and not getattr(logo, "_committed", False):
            validate_image_upload(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed():
            raise ValidationError(_("Nothing was changed."), code="unchanged")
        return cleaned


class DecisionForm(forms.Form):
    """A staff decision on an application: the action and the comment (a reason to return or reject)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
