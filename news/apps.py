from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save

        from news.counting import keep_counted_views
        from news.models import Article, render_missing_bodies

        pre_save.connect(keep_counted_views, sender=Article, dispatch_uid="keep-counted-views")
        post_migrate.connect(render_missing_bodies, sender=self, dispatch_uid="render-missing-bodies")
