"""Ending a term: the one rule for alliance positions, council seats and committee seats.

Every such position is a `members.models.Term`; a term is current until it is ended, and an
ended term stays as history (past councils, an organisation's former roles). The admin's "End
the selected terms today" action calls `end_term`; offices.services hands a seat over with it.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext


def end_term(term, on=None, *, user=None):
    """End a current term on `on`; the row stays as history and frees its place (e.g. the office's
    presidency) for a successor.

    Args:
        term: a current `Term` (an `AlliancePosition`, a `CouncilSeat`, a `CommitteeSeat`).
        on: the last day of the term, a date; today (in the site's time zone) when None.
        user: who ends it, recorded with the revision, or None for a command or an import.
    Returns:
        The term, saved with `ended_on` = `on`, in a revision commented "Ended the term.".
    Raises:
        ValidationError: the term has already ended (code "already_ended"), or `on` is before
            the term started; nothing is saved.
    """
    if not term.is_current:
        raise ValidationError(gettext("This term has already ended."), code="already_ended")
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(gettext("Ended the term."))
        term.ended_on = on or timezone.localdate()
        try:
            term.full_clean()
        except ValidationError:
            term.ended_on = None
            raise
        term.save(update_fields=["ended_on"])
    return term
