from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.db.models.signals import pre_save

        from news.counting import keep_counted_views
        from news.models import Article

        pre_save.connect(keep_counted_views, sender=Article, dispatch_uid="keep-counted-views")
