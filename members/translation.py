from modeltranslation.translator import TranslationOptions, register

from members.models import Organisation, Person


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "description", "address")
    required_languages = ("zh-hans",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "job_title")
    required_languages = ("zh-hans",)
