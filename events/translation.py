from modeltranslation.translator import TranslationOptions, register

from events.models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "venue", "address", "cover_alt")
    required_languages = ("zh-hans",)
