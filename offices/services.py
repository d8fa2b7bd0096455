"""Council and committee seats: appointing, handing a seat over, and the order seats are saved in.

The single-holder rules (one current president and one current secretary-general per office,
one current chair per committee, one current seat per organisation on a council or committee,
one current membership per office) are conditional unique constraints on the models, so the
database enforces them whoever writes. These functions apply them before writing, as
`ValidationError`s with the constraints' messages, and write in an order the database accepts
at every step. Ending a term is `members.services.end_term`, the same for every kind of term.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext

from members.services import end_term
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office

# The seat model of each body, and the seat's field naming its body.
SEAT_MODELS = {Office: (CouncilSeat, "office"), Committee: (CommitteeSeat, "committee")}


def current_holder_constraints(model):
    """The model's single-holder rules: its conditional unique constraints over named fields."""
    return [c for c in model._meta.constraints if isinstance(c, UniqueConstraint) and c.condition and c.fields]


def condition_holds(condition, row):
    """Whether `row`, as edited and not yet saved, meets a constraint condition.

    Args:
        condition: a `Q` of exact, isnull and in lookups on the row's own fields.
        row: a model instance.
    Returns:
        True or False.
    Raises:
        ValueError: the condition uses another kind of lookup.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(condition_holds(child, row))
            continue
        lookup, expected = child
        name, _, kind = lookup.partition("__")
        value = getattr(row, row._meta.get_field(name).attname)
        if kind in ("", "exact"):
            results.append(value == expected)
        elif kind == "isnull":
            results.append((value is None) == expected)
        elif kind == "in":
            results.append(value in expected)
        else:
            raise ValueError(f"Lookup {lookup!r} in a seat constraint is not supported here.")
    held = all(results) if condition.connector == Q.AND else any(results)
    return held != condition.negated


def conflicts(rows, *, within=None):
    """The single-holder rules that rows of one body, taken together, would break.

    Args:
        rows: the seats (or memberships) of one office or committee as they are to be saved,
            all of the same model.
        within: the name of the field naming their body, left out of the comparison (rows not
            saved yet may not carry it); None to compare every field of the rules.
    Returns:
        A list of (constraint, rows in conflict) pairs, each with two rows or more: e.g. the
        office's president rule and the two seats that would both be current presidents.
    """
    rows = list(rows)
    if not rows:
        return []
    found = []
    for constraint in current_holder_constraints(type(rows[0])):
        groups = {}
        for row in rows:
            if condition_holds(constraint.condition, row):
                key = tuple(getattr(row, name) for name in constraint.fields if name != within)
                groups.setdefault(key, []).append(row)
        found += [(constraint, group) for group in groups.values() if len(group) > 1]
    return found


def saving_order(rows):
    """`rows` in the order that keeps the single-holder rules true at every save.

    A row that gives up a place (a president whose term ends, a seat whose role changes away
    from chair) is saved before a row that takes one; a row holding fewer places goes first.
    So a president restored after being ended by mistake, and the successor ended in the same
    change, never make two current presidents in the database.

    Args:
        rows: seats (or memberships) of one body as they are to be saved; valid together
            (see `conflicts`).
    Returns:
        A new list of the same rows.
    """
    constraints = current_holder_constraints(type(rows[0])) if rows else []
    return sorted(rows, key=lambda row: sum(condition_holds(c.condition, row) for c in constraints))


def _save_checked(seat):
    """Save a seat that passed full_clean; a holder saved meanwhile by someone else is the same
    ValidationError, not a database error."""
    try:
        with transaction.atomic():
            seat.save()
    except IntegrityError:
        seat.validate_constraints()
        raise


def appoint(body, organisation, role, *, representative=None, started_on=None, sort_order=0, user=None):
    """Give an organisation a seat on an office's council or on a committee.

    Args:
        body: the `Office` (its council) or the `Committee`.
        organisation: the `Organisation` taking the seat.
        role: a `members.models.Role` of the body (a council role for an office, a committee
            role for a committee).
        representative: the `Person` sitting for the organisation, or None.
        started_on: the first day of the term; today (in the site's time zone) when None.
        sort_order: the order among seats of the same role.
        user: who appoints, recorded with the revision, or None for a command or an import.
    Returns:
        The new current `CouncilSeat` or `CommitteeSeat`, saved.
    Raises:
        ValidationError: the role is not one of the body's, the place is held (a current
            president, secretary-general or chair already; the organisation already holds a
            current seat on the body), or a field is invalid; nothing is saved.
        TypeError: `body` is neither an office nor a committee.
    """
    if type(body) not in SEAT_MODELS:
        raise TypeError(f"Seats belong to an office or a committee, not to {type(body).__name__}.")
    model, body_field = SEAT_MODELS[type(body)]
    seat = model(
        **{body_field: body},
        organisation=organisation,
        role=role,
        representative=representative,
        started_on=started_on or timezone.localdate(),
        sort_order=sort_order,
    )
    seat.full_clean()
    names = {"organisation": organisation, "role": seat.get_role_display()}
    comment = gettext("Appointed %(organisation)s as %(role)s.") % names
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        _save_checked(seat)
    return seat


def hand_over(seat, organisation, *, representative=None, on=None, user=None):
    """Hand a current seat over to a successor: the holder's term ends, the successor's starts.

    Both happen in one transaction and one revision, the term ending first, so the database
    never sees two current holders of a single-holder role. The successor takes the same role
    and order; the ended seat stays as history.

    Args:
        seat: the current `CouncilSeat` or `CommitteeSeat`.
        organisation: the successor `Organisation` (the same one for a new representative).
        representative: the `Person` sitting for the successor, or None.
        on: the day of the hand-over, the last day of the old term and the first of the new;
            today (in the site's time zone) when None.
        user: who hands over, recorded with the revision, or None.
    Returns:
        (the ended seat, the successor's new seat), both saved.
    Raises:
        ValidationError: the seat's term has ended already, `on` is before it started, or the
            successor cannot take the seat (e.g. it holds another current seat on the body:
            end that term first); nothing is saved.
    """
    on = on or timezone.localdate()
    body = seat.office if isinstance(seat, CouncilSeat) else seat.committee
    ended_on = seat.ended_on
    try:
        with transaction.atomic(), reversion.create_revision():
            if user is not None:
                reversion.set_user(user)
            end_term(seat, on, user=user)
            successor = appoint(
                body,
                organisation,
                seat.role,
                representative=representative,
                started_on=on,
                sort_order=seat.sort_order,
                user=user,
            )
            reversion.set_comment(
                gettext("Handed over from %(previous)s to %(successor)s.")
                % {"previous": seat.organisation, "successor": organisation}
            )
    except ValidationError:
        seat.ended_on = ended_on  # as in the database, which the transaction restored
        raise
    return seat, successor
