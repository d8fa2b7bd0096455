from modeltranslation.translator import TranslationOptions, register

from compliance.models import PrivacyPolicy


@register(PrivacyPolicy)
class PrivacyPolicyTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("zh-hans",)
