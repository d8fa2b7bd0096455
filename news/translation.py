from modeltranslation.translator import TranslationOptions, register

from news.models import Article, ArticlePhoto, Attachment, Category


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("zh-hans",)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "body_html", "cover_alt", "source")
    required_languages = ("zh-hans",)


@register(ArticlePhoto)
class ArticlePhotoTranslationOptions(TranslationOptions):
    fields = ("caption", "alt_text")
    required_languages = ("zh-hans",)


@register(Attachment)
class AttachmentTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("zh-hans",)
