from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.db.models.signals import post_migrate

        from news.models import render_missing_bodies

        post_migrate.connect(render_missing_bodies, sender=self, dispatch_uid="render-missing-bodies")
