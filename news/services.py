"""Publishing rules for articles: publish, unpublish, schedule, pin, unpin, add a photo.

The admin's actions and its photo picker call these functions; an import or a command can call
them too. Each change is one revision in the article's history, with the user who made it and a
comment saying what was done. Permission checks stay with the caller (the admin allows these to
users with `news.publish_article`, and photo uploads to those with `news.add_articlephoto`).
"""

from contextlib import contextmanager

import reversion
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext

from news.models import Article


@contextmanager
def _revision(user, comment):
    """One revision around the changes made inside, by `user`, with `comment`.

    Inside a revision already open (an admin view opens one per request) the changes join it,
    and the comment and user are those of the last service called.
    """
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def _save_each(articles, user, comment, change):
    """Apply `change` to each article and save it (history, search index, page cache), not a bulk
    UPDATE that would bypass them."""
    changed = []
    with _revision(user, comment):
        for article in articles:
            change(article)
            article.save()
            changed.append(article)
    return changed


def publish(articles, *, user=None):
    """Publish articles: each becomes visible at its publication time.

    An article without a publication time is published now; one with a time in the future stays
    scheduled for that time (an editor who set the time chose when it appears).

    Args:
        articles: an iterable of `Article` (a queryset or a list), in any status.
        user: who publishes, recorded in the history; None for a command or an import.
    Returns:
        The list of articles saved, as saved.
    """

    def change(article):
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or timezone.now()

    return _save_each(articles, user, gettext("Published."), change)


def unpublish(articles, *, user=None):
    """Return articles to draft: the public no longer sees them; their publication time is kept.

    Args:
        articles: an iterable of `Article`.
        user: who unpublishes, recorded in the history, or None.
    Returns:
        The list of articles saved.
    """

    def change(article):
        article.status = Article.Status.DRAFT

    return _save_each(articles, user, gettext("Returned to draft."), change)


def schedule(article, at, *, user=None):
    """Schedule an article to appear by itself at `at`; until then the public does not see it.

    No job has to run: `Article.objects.published()` includes it from `at` on.

    Args:
        article: the `Article`, in any status.
        at: an aware datetime in the future.
        user: who schedules, recorded in the history, or None.
    Returns:
        The article, saved as published with `published_at` = `at`.
    Raises:
        ValidationError: `at` is not in the future (use `publish` to publish now).
    """
    if at <= timezone.now():
        raise ValidationError(
            gettext("A scheduled time must be in the future; publish the article to show it now."),
            code="schedule_in_past",
        )
    comment = gettext("Scheduled for %(time)s.") % {"time": localize(timezone.localtime(at))}

    def change(article):
        article.status = Article.Status.PUBLISHED
        article.published_at = at

    return _save_each([article], user, comment, change)[0]


def pin(articles, *, until=None, user=None):
    """Pin articles: they lead the public lists until `until`, or until unpinned.

    A pin end already set and still ahead is kept when `until` is None; one that has passed is
    cleared, so pinning again an article whose pin ran out pins it anew.

    Args:
        articles: an iterable of `Article`.
        until: an aware datetime in the future when the pin ends, or None.
        user: who pins, recorded in the history, or None.
    Returns:
        The list of articles saved.
    Raises:
        ValidationError: `until` is not in the future; nothing is saved.
    """
    now = timezone.now()
    if until is not None and until <= now:
        raise ValidationError(gettext("A pin must end in the future."), code="pin_until_in_past")

    def change(article):
        article.is_pinned = True
        if until is not None or (article.pinned_until is not None and article.pinned_until <= now):
            article.pinned_until = until

    return _save_each(articles, user, gettext("Pinned."), change)


def unpin(articles, *, user=None):
    """Unpin articles: they return to date order, and any pin end time is cleared.

    Args:
        articles: an iterable of `Article`.
        user: who unpins, recorded in the history, or None.
    Returns:
        The list of articles saved.
    """

    def change(article):
        article.is_pinned = False
        article.pinned_until = None

    return _save_each(articles, user, gettext("Unpinned."), change)


def add_photo(article, photo, *, user=None):
    """Add a photo to an article, after its other photos; the article's history records it.

    Args:
        article: the `Article` the photo belongs to.
        photo: an unsaved `ArticlePhoto` with its image and description (e.g. from a form saved
            with commit=False); its `article` and `order` are set here.
        user: who adds it, recorded in the history, or None.
    Returns:
        The photo, saved, with `order` one past the article's last photo (1 for the first).
    Raises:
        ValidationError: the photo is not valid (no image, no description, an image the site
            does not accept); nothing is saved.
    """
    with _revision(user, gettext("Photo added.")):
        photo.article = article
        last = article.photos.aggregate(last=Max("order"))["last"]
        photo.order = (last or 0) + 1
        photo.full_clean()
        photo.save()
        reversion.add_to_revision(article)
    return photo
