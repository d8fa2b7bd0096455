"""Publishing rules for articles: publish, unpublish, schedule, pin, unpin, add a photo, and the
review before publication (submit, approve, send back, edits of published articles: core.review).

The admin's actions and its photo picker call these functions; an import or a command can call
them too. Each change is one revision in the article's history, with the user who made it and a
comment saying what was done. Permission checks stay with the caller (the admin allows these to
users with `news.publish_article`, and photo uploads to those with `news.add_articlephoto`).
"""

from contextlib import contextmanager

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext

from core import review as core_review
from core.review import Action, ReviewState, apply_revision, capture_revision, revision_many_to_many
from news.models import Article, ArticleAutosave


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
        article_review.record(article, Action.PUBLISHED, user)

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
        article_review.record(article, Action.UNPUBLISHED, user)

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
        article_review.record(article, Action.PUBLISHED, user, comment)

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


def _publish_approved(article, user):
    """Publish an approved article: its pending revision (if any) replaces the published text first.

    Its publication time decides: in the future it is scheduled, else it is public now.
    """
    with _revision(user, gettext("Approved and published.")):
        if article.pending_revision is not None:
            revision = article.pending_revision
            apply_revision(article, revision)
            article.pending_revision = None
            article.save()
            for name, pks in revision_many_to_many(revision).items():
                getattr(article, name).set(pks)
        if article.published_at and article.published_at > timezone.now():
            return schedule(article, article.published_at, user=user)
        return publish([article], user=user)[0]


def _admin_link(article):
    return core_review.admin_change_path(article)


article_review = core_review.Review(Article, publish=_publish_approved, admin_link=_admin_link)


def submit_for_review(article, *, user, comment=""):
    """Submit an article (a draft, a returned article, or a published one's pending revision) for review.

    The reviewers (the Reviewers group: permission news.review_article) are e-mailed.

    Args:
        article: the `Article`.
        user: the writer submitting it.
        comment: optional note for the reviewer.
    Returns:
        The ArticleReviewStep recorded.
    Raises:
        core.review.TransitionNotAllowed: already awaiting review, or published with nothing new.
    """
    return article_review.submit(article, user, comment)


def approve(article, *, user, comment=""):
    """Approve an article awaiting review: it is published, or scheduled when its time is in the future.

    A pending revision of a published article replaces the published text. The writer is e-mailed.

    Raises:
        PermissionError: `user` may not review, or wrote or last changed the article (superusers excepted).
        core.review.TransitionNotAllowed: the article is not awaiting review.
    """
    return article_review.approve(article, user, comment)


def send_back(article, *, user, comment):
    """Return an article awaiting review to its writer with `comment` (required); the writer is e-mailed.

    Raises:
        PermissionError: `user` may not review.
        ValidationError: the comment is empty.
        core.review.TransitionNotAllowed: the article is not awaiting review.
    """
    return article_review.send_back(article, user, comment)


def edits_need_review(article):
    """Whether saving edits to `article` must go through review: review is on and it is published
    (public or scheduled), so its edits wait as a pending revision while the published text stays."""
    return core_review.review_required() and article.pk is not None and article.status == Article.Status.PUBLISHED


@transaction.atomic
def save_pending_revision(article, *, user, many_to_many=None):
    """Keep the edits of a published article as its pending revision; the published text stays public.

    Args:
        article: the `Article` as edited, unsaved (its row holds the published text).
        user: the editor, recorded as the last to change it (so they may not approve it).
        many_to_many: {"offices"|"organisations"|"people": [pk, ...]} as edited.
    Returns:
        The revision stored (dict).
    """
    stored = Article.objects.select_for_update().get(pk=article.pk)
    revision = capture_revision(article, many_to_many)
    if stored.review_state == ReviewState.APPROVED:
        article_review.record(stored, Action.EDITED, user)
    # One more edit: a form opened before this one is refused as stale, as for any other save.
    Article.objects.filter(pk=article.pk).update(
        pending_revision=revision, last_edited_by=user, version=models.F("version") + 1
    )
    article.pending_revision, article.last_edited_by = revision, user
    article.version = stored.version + 1
    return revision


def with_pending_revision(article):
    """`article` showing its pending revision, if any, in place of the published text (in memory)."""
    if article.pending_revision is not None:
        apply_revision(article, article.pending_revision)
    return article


def autosave(article_id, user, data):
    """Keep what `user` typed in an article's form (`data`: {form field: value}), replacing their last autosave.

    Args:
        article_id: the article's id, or None for an article not yet saved.
        user: the editor.
        data: JSON-serialisable dict of the form's text fields as typed.
    Returns:
        The ArticleAutosave.
    """
    autosaved, _created = ArticleAutosave.objects.update_or_create(
        user=user, article_id=article_id, defaults={"data": data}
    )
    return autosaved


def discard_autosave(article_id, user):
    """Remove `user`'s autosave of the article (None: of a new article): the form was saved or discarded."""
    ArticleAutosave.objects.filter(user=user, article_id=article_id).delete()
