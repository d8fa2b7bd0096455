from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from compliance.forms import ConsentFormMixin
from events.services import RegistrationData, normalise_mobile


class RegistrationForm(ConsentFormMixin, forms.Form):
    """What a visitor gives to register: name, organisation, job title, mobile, e-mail, consent."""

    consent_purpose = _("to register you for the event, tell you of changes to it and check you in")
    consent_retention = _("until %(days)s days after the event, when it is erased")

    name = forms.CharField(label=_("Full name"), max_length=100)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    mobile = forms.CharField(
        label=_("Mobile"), max_length=20, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    def __init__(self, *args, **kwargs):
        self.consent_retention = self.consent_retention % {"days": settings.EVENT_PERSONAL_DATA_DAYS}
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def registration_data(self, language):
        data = self.cleaned_data
        return RegistrationData(
            name=data["name"].strip(),
            organisation_name=data["organisation_name"].strip(),
            job_title=data.get("job_title", "").strip(),
            mobile=data["mobile"],
            email=data["email"],
            language=language,
        )
