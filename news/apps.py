from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.db.models.signals import pre_save

        from members import views as member_pages
        from news.counting import keep_counted_views
        from news.models import Article
        from news.views import RelatedNewsSection
        from offices import views as office_pages

        member_pages.organisation_sections.append(RelatedNewsSection("organisations"))
        office_pages.office_sections.append(RelatedNewsSection("offices"))
        pre_save.connect(keep_counted_views, sender=Article, dispatch_uid="keep-counted-views")
