"""One rule for what the public sees of events: lists, home, search, sitemap and calendar feed show
published events only; a scheduled event appears on time, with no job, and the page cache knows
when; the demo has the founding meeting linked to the seed article and an upcoming event."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.cache import content_version
from events.models import Event, next_scheduled_change
from news.models import Article
from tests.factories import EventFactory
from tests.news.pages import get_page


@pytest.mark.django_db
def test_drafts_scheduled_and_withdrawn_events_appear_nowhere_public(client):
    now = timezone.now()
    public = EventFactory(title_zh_hans="公开的论坛活动")
    hidden = [
        EventFactory(title_zh_hans="草稿论坛活动", status=Event.Status.DRAFT),
        EventFactory(title_zh_hans="定时论坛活动", published_at=now + datetime.timedelta(hours=1)),
        EventFactory(title_zh_hans="下线论坛活动", unpublish_at=now - datetime.timedelta(minutes=1)),
    ]
    pages = ["/events/", "/", "/search/?q=论坛活动", "/sitemap-events.xml", "/events/feed.ics"]
    for url in pages:
        content = client.get(url).content.decode()
        assert f"/events/{public.pk}/" in content or public.title in content, url
        for event in hidden:
            assert f"/events/{event.pk}/" not in content and event.title not in content, (url, event.title)
    for event in hidden:
        assert client.get(event.get_absolute_url()).status_code == 404
        assert client.get(f"/events/{event.pk}/{event.slug}/calendar.ics").status_code == 404


@pytest.mark.django_db
def test_a_scheduled_event_appears_on_time_and_the_page_cache_knows_when(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    now = timezone.now()
    due = now + datetime.timedelta(hours=1)
    event = EventFactory(title_zh_hans="定时发布的培训", published_at=due, starts_at=now + datetime.timedelta(days=3))
    assert next_scheduled_change() == due
    content_version()
    assert event.title not in client.get("/events/").content.decode()
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert event.title in client.get("/events/").content.decode()
        assert next_scheduled_change() == event.registration_closes_at


def test_the_demo_has_the_founding_meeting_linked_to_the_seed_article_and_an_upcoming_event(demo, client):
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    founding = article.event
    assert founding.title_zh_hans == "苏州市工业互联网产业联盟吴中区办事处成立大会"
    assert timezone.localtime(founding.starts_at).date() == datetime.date(2020, 11, 20)
    assert founding.venue_zh_hans == "苏州智能制造研究院1号楼" and founding.is_past
    upcoming = Event.objects.published().upcoming().get()
    assert upcoming.capacity == 5 and upcoming.registration_is_open
    _, page = get_page(client, founding.get_absolute_url())
    assert page.find("a", href=article.get_absolute_url()) is not None, "the event lists its news"
    _, page = get_page(client, article.get_absolute_url())
    assert page.find("a", href=founding.get_absolute_url()) is not None, "the article links its event"
    _, page = get_page(client, "/")
    assert page.select_one(".home-events .card-title a").get("href") == upcoming.get_absolute_url()
