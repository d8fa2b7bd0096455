"""Signals of the bottom layer: how it hears of the apps above it without importing them.

`next_scheduled_change`
    Sent (with no arguments) when the page cache starts a content version, to learn how long that
    version may stay valid. A receiver returns the aware datetime at which what it publishes next
    changes by itself (a scheduled article falling due, a pin running out), or None. The earliest
    answer ends the version, so a cached page never hides what has fallen due. news connects
    `news.models.next_scheduled_change` (see alliance_site.signals).
"""

from django.dispatch import Signal

next_scheduled_change = Signal()
