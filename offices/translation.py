from modeltranslation.translator import TranslationOptions, register

from offices.models import Committee, Office


@register(Office)
class OfficeTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "district", "venue", "description", "charter_text")
    required_languages = ("zh-hans",)


@register(Committee)
class CommitteeTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "focus")
    required_languages = ("zh-hans",)
