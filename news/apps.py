from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from members import views as member_pages
        from news.views import RelatedNewsSection
        from offices import views as office_pages

        member_pages.organisation_sections.append(RelatedNewsSection("organisations"))
        office_pages.office_sections.append(RelatedNewsSection("offices"))
