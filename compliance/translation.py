from modeltranslation.translator import TranslationOptions, register

from compliance.models import PrivacyPolicy, SiteSettings


@register(PrivacyPolicy)
class PrivacyPolicyTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("zh-hans",)


@register(SiteSettings)
class SiteSettingsTranslationOptions(TranslationOptions):
    fields = ("organiser", "address", "wechat_name", "introduction")
