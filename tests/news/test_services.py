"""The publishing rules called without the admin, as an import or a command would call them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext
from reversion.models import Version

from news import services
from news.models import Article, ArticlePhoto
from tests.factories import ArticleFactory, ArticlePhotoFactory, UserFactory, image_file

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def public():
    return set(Article.objects.published())


def revision_of(article):
    return Version.objects.get_for_object(article).get().revision


def test_publishing_a_draft_shows_it_to_the_public_and_records_who_did_it(clock):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    editor = UserFactory()
    assert draft not in public()

    changed = services.publish(Article.objects.filter(pk=draft.pk), user=editor)

    assert [article.pk for article in changed] == [draft.pk]
    assert public() == {draft}
    draft.refresh_from_db()
    assert draft.published_at == NOW
    revision = revision_of(draft)
    assert (revision.user, revision.get_comment()) == (editor, gettext("Published."))


def test_publishing_keeps_a_time_chosen_in_the_future(clock):
    later = NOW + datetime.timedelta(days=2)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=later)
    services.publish([draft])
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Article.Status.PUBLISHED, later)
    assert draft not in public()


def test_unpublishing_hides_an_article_and_keeps_its_time(clock):
    article = ArticleFactory(published_at=NOW - datetime.timedelta(days=1))
    editor = UserFactory()
    assert services.unpublish([article], user=editor) == [article]
    assert article not in public()
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.DRAFT, NOW - datetime.timedelta(days=1))
    assert (revision_of(article).user, revision_of(article).get_comment()) == (editor, gettext("Returned to draft."))


def test_a_scheduled_article_appears_at_its_time_and_not_before(clock):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    at = NOW + datetime.timedelta(hours=3)
    editor = UserFactory()

    scheduled = services.schedule(draft, at, user=editor)

    assert (scheduled.status, scheduled.published_at) == (Article.Status.PUBLISHED, at)
    assert draft not in public()
    clock.move_to(at - datetime.timedelta(seconds=1))
    assert draft not in public()
    clock.move_to(at)
    assert public() == {draft}
    assert revision_of(draft).user == editor
    when = localize(timezone.localtime(at))
    assert revision_of(draft).get_comment() == gettext("Scheduled for %(time)s.") % {"time": when}


@pytest.mark.parametrize("delta", [datetime.timedelta(0), -datetime.timedelta(minutes=1)])
def test_scheduling_for_now_or_the_past_is_refused_and_changes_nothing(clock, delta):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError) as refusal:
        services.schedule(draft, NOW + delta)
    assert refusal.value.code == "schedule_in_past"
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, None)
    assert not Version.objects.get_for_object(draft).exists()


def test_pinning_leads_the_list_until_the_pin_ends(clock):
    article = ArticleFactory()
    until = NOW + datetime.timedelta(days=1)
    editor = UserFactory()

    assert services.pin([article], until=until, user=editor) == [article]

    assert list(Article.objects.pinned_now()) == [article]
    assert (revision_of(article).user, revision_of(article).get_comment()) == (editor, gettext("Pinned."))
    clock.move_to(until)
    assert not Article.objects.pinned_now().exists()


def test_pinning_without_an_end_keeps_an_end_still_ahead_and_renews_one_that_passed(clock):
    ahead = ArticleFactory(is_pinned=True, pinned_until=NOW + datetime.timedelta(days=1))
    ran_out = ArticleFactory(is_pinned=True, pinned_until=NOW - datetime.timedelta(days=1))
    services.pin(Article.objects.filter(pk__in=[ahead.pk, ran_out.pk]))
    ahead.refresh_from_db()
    ran_out.refresh_from_db()
    assert ahead.pinned_until == NOW + datetime.timedelta(days=1)
    assert (ran_out.is_pinned, ran_out.pinned_until) == (True, None)
    assert set(Article.objects.pinned_now()) == {ahead, ran_out}


@pytest.mark.parametrize("delta", [datetime.timedelta(0), -datetime.timedelta(hours=1)])
def test_a_pin_ending_now_or_in_the_past_is_refused_and_changes_nothing(clock, delta):
    article = ArticleFactory()
    with pytest.raises(ValidationError) as refusal:
        services.pin([article], until=NOW + delta)
    assert refusal.value.code == "pin_until_in_past"
    article.refresh_from_db()
    assert (article.is_pinned, article.pinned_until) == (False, None)


def test_unpinning_returns_an_article_to_date_order(clock):
    article = ArticleFactory(is_pinned=True, pinned_until=NOW + datetime.timedelta(days=1))
    editor = UserFactory()
    assert services.unpin([article], user=editor) == [article]
    article.refresh_from_db()
    assert (article.is_pinned, article.pinned_until) == (False, None)
    assert not Article.objects.pinned_now().exists()
    assert revision_of(article).get_comment() == gettext("Unpinned.")


def test_a_bulk_change_is_one_revision_for_all_the_articles():
    articles = ArticleFactory.create_batch(3, status=Article.Status.DRAFT)
    services.publish(Article.objects.filter(pk__in=[a.pk for a in articles]))
    assert len({revision_of(article).pk for article in articles}) == 1


def test_a_photo_added_comes_after_the_articles_photos_and_is_in_its_history():
    article = ArticleFactory()
    ArticlePhotoFactory(article=article, order=3)
    editor = UserFactory()
    photo = ArticlePhoto(image=image_file("hall.jpg"), alt_text_zh_hans="会场", caption_zh_hans="大会现场")

    added = services.add_photo(article, photo, user=editor)

    assert added.pk is not None
    assert list(article.photos.values_list("caption_zh_hans", "order"))[-1] == ("大会现场", 4)
    assert (added.image_width, added.image_height) == (800, 600)
    revision = revision_of(article)
    assert (revision.user, revision.get_comment()) == (editor, gettext("Photo added."))
    assert revision.version_set.filter(object_id=str(added.pk)).exists(), "the photo is in the same revision"


def test_the_first_photo_of_an_article_is_number_one():
    article = ArticleFactory()
    photo = services.add_photo(article, ArticlePhoto(image=image_file(), alt_text_zh_hans="会场"))
    assert photo.order == 1


def test_a_photo_without_a_description_is_refused_and_not_saved():
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.add_photo(article, ArticlePhoto(image=image_file(), alt_text_zh_hans=""))
    assert not ArticlePhoto.objects.exists()
    assert not Version.objects.get_for_object(article).exists()
