"""Calendar files (RFC 5545) of events, made with icalendar: times in Asia/Shanghai with the zone's
definition included, so every calendar program shows the right instant."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from core.text import xml_safe

CHINA = ZoneInfo("Asia/Shanghai")
PRODUCT = "-//Suzhou Industrial Internet Industry Alliance//Events//EN"


def calendar_event(event, absolute_url):
    """One VEVENT of `event`; `absolute_url` makes a path a full URL."""
    item = CalendarEvent()
    host = absolute_url("/").split("//", 1)[-1].strip("/")
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at.astimezone(CHINA))
    item.add("dtend", event.ends_at.astimezone(CHINA))
    item.add("summary", xml_safe(event.title))
    location = " ".join(part for part in (event.venue, event.address) if part)
    if location:
        item.add("location", xml_safe(location))
    url = absolute_url(event.get_absolute_url())
    item.add("url", url)
    description = "\n\n".join(part for part in (event.summary, event.online_link, url) if part)
    item.add("description", xml_safe(description))
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    return item


def calendar(events, absolute_url, name=None):
    """The bytes of a calendar file holding `events` (an iterable of Event)."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name or gettext("Suzhou Industrial Internet Industry Alliance events"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(calendar_event(event, absolute_url))
    cal.add_missing_timezones()
    return cal.to_ical()
