"""Any change to content a public page shows invalidates the pages showing it, and no text saved
in the content apps holds a character XML cannot carry.

A saved article invalidates the pages showing articles (core.cache.CONTENT) and its own page,
and other articles' pages only when it changed what they show of it; any other change starts a
new site-wide version (every page). Every model of the content apps counts as shown, so a model
added later is covered without anyone remembering to list it; the few that no page shows are named
in NOT_SHOWN. Writes that send no signals (QuerySet.update(), bulk_create(), raw SQL) must call
bump_content_version() themselves. A deploy runs migrate, whose post_migrate signal starts a new
version as well, so no page rendered by the previous release's templates is served after it.

Stored files follow their rows: see connect_media_cleanup().
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save

from compliance.models import PrivacyPolicy, SiteSettings
from core import signals as core_signals
from core.cache import CONTENT, bump_content_version, invalidate
from core.text import drop_xml_invalid_characters
from core.uploads import file_fields, note_replaced_files, remove_deleted_files, remove_replaced_files
from events.models import next_scheduled_change as events_next_scheduled_change
from membership.models import next_standing_change
from news.models import ARTICLE_LINKS, Article, article_tag, next_scheduled_change

CONTENT_APPS = ("compliance", "members", "offices", "membership", "events", "news")
NOT_SHOWN = {
    "news.pendingview",
    "news.viewcountflush",
    "news.countedvisitor",
    "compliance.contactmessage",
    "membership.membershipapplication",
    "membership.applicationevent",
    "membership.liaison",
    "membership.profilechange",
    "membership.renewalreminder",
    "news.articlereviewstep",
    "events.eventreviewstep",
    "news.articleautosave",
}


def drop_unsafe_characters_before_save(sender, instance, raw=False, **kwargs):
    """Text pasted from Word (U+000B line breaks ...) is saved without what XML cannot carry.

    Connected for every model, so that a model added to a content app later is covered; restored
    backups (raw saves) are cleaned too. Feeds, sitemaps and JSON-LD clean their output as well,
    for rows written without save().
    """
    if sender._meta.app_label in CONTENT_APPS:
        drop_xml_invalid_characters(instance)


def note_article_before_save(sender, instance, raw=False, **kwargs):
    """Keep what other pages show of the article as stored, to tell after the save whether it changed."""
    adding = instance._state.adding or instance.pk is None
    instance._shown_elsewhere_before = None if adding or raw else Article.stored_shown_elsewhere(instance.pk)


def invalidate_article_pages(sender, instance, created=False, raw=False, **kwargs):
    """An article saved: every page showing articles renders afresh (CONTENT); of the articles'
    own pages, this article's, and all of them only when what they show of other articles changed
    (news.models.Article.shown_elsewhere_changed). A body correction keeps every other article's
    page cached."""
    before = None if created or raw else getattr(instance, "_shown_elsewhere_before", None)
    tags = [CONTENT, article_tag(instance.pk)]
    if before is None or instance.shown_elsewhere_changed(before):
        tags.append(ARTICLE_LINKS)
    invalidate(*tags)


def invalidate_deleted_article(sender, instance, **kwargs):
    invalidate(CONTENT, ARTICLE_LINKS, article_tag(instance.pk))


def connect_content_models():
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in NOT_SHOWN:
                continue
            uid = f"page-cache-{model._meta.label_lower}"
            if model is Article:
                pre_save.connect(note_article_before_save, sender=model, dispatch_uid=f"{uid}-before")
                post_save.connect(invalidate_article_pages, sender=model, dispatch_uid=f"{uid}-save")
                post_delete.connect(invalidate_deleted_article, sender=model, dispatch_uid=f"{uid}-delete")
            else:
                post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
                post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_content_version, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
                )
    pre_save.connect(drop_unsafe_characters_before_save, dispatch_uid="content-text-xml-safe")
    post_migrate.connect(bump_content_version, sender=apps.get_app_config("news"), dispatch_uid="page-cache-deploy")


def connect_media_cleanup():
    """Files of deleted rows, and files a new upload replaced, are removed after commit.

    Connected per model with file fields only: a receiver for every model would keep Django
    from deleting rows of the others in one query.
    """
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if file_fields(model):
                uid = f"media-{model._meta.label_lower}"
                pre_save.connect(note_replaced_files, sender=model, dispatch_uid=f"{uid}-pre-save")
                post_save.connect(remove_replaced_files, sender=model, dispatch_uid=f"{uid}-save")
                post_delete.connect(remove_deleted_files, sender=model, dispatch_uid=f"{uid}-delete")


def news_changes_next(**_signal_kwargs):
    """The page cache's `next_scheduled_change` answered by news: see news.models.next_scheduled_change."""
    return next_scheduled_change()


def events_change_next(**_signal_kwargs):
    """The page cache's `next_scheduled_change` answered by events: see events.models.next_scheduled_change."""
    return events_next_scheduled_change()


def privacy_policy_changes_next(**_signal_kwargs):
    """The page cache's `next_scheduled_change` answered by compliance: a policy version coming into force."""
    return PrivacyPolicy.objects.next_publication()


def membership_changes_next(**_signal_kwargs):
    """A membership lapsing at the end of its grace period leaves the member count and directory."""
    return next_standing_change()


def mourning_changes_next(**_signal_kwargs):
    """The page cache's `next_scheduled_change` answered by the site settings: mourning starting or ending."""
    return SiteSettings.load().next_change()


connect_content_models()
connect_media_cleanup()
core_signals.next_scheduled_change.connect(news_changes_next, dispatch_uid="news-next-scheduled-change")
core_signals.next_scheduled_change.connect(events_change_next, dispatch_uid="events-next-scheduled-change")
core_signals.next_scheduled_change.connect(privacy_policy_changes_next, dispatch_uid="privacy-policy-next-change")
core_signals.next_scheduled_change.connect(membership_changes_next, dispatch_uid="membership-next-standing-change")
core_signals.next_scheduled_change.connect(mourning_changes_next, dispatch_uid="mourning-next-change")
