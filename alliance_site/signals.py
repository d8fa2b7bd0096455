"""Any change to content a public page shows invalidates the page cache.

Every model of the content apps counts as shown, so a model added later is covered without
anyone remembering to list it; the few that no page shows are named in NOT_SHOWN. Writes that
send no signals (QuerySet.update(), bulk_create(), raw SQL) must call bump_content_version()
themselves. A deploy runs migrate, whose post_migrate signal starts a new version as well, so no
page rendered by the previous release's templates is served after it.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from alliance_site.cache import bump_content_version, scheduled_change_sources
from news.models import next_scheduled_change

CONTENT_APPS = ("members", "offices", "news")
NOT_SHOWN = {"news.pendingview", "news.viewcountflush", "news.countedvisitor"}


def connect_content_models():
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in NOT_SHOWN:
                continue
            uid = f"page-cache-{model._meta.label_lower}"
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_content_version, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
                )
    post_migrate.connect(bump_content_version, sender=apps.get_app_config("news"), dispatch_uid="page-cache-deploy")


connect_content_models()
scheduled_change_sources.append(next_scheduled_change)
