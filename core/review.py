"""Review before publication (审核), for any kind of content: articles today, events next.

What an app adopts:
- `ReviewedModel`, an abstract model: the item's review state, who last edited it, and the
  pending revision of a published item (its edited text, waiting for review while the published
  text stays public);
- `ReviewStep`, an abstract model of one recorded step (submitted, returned, approved, published,
  unpublished) with who, when and the comment; the app's concrete model adds a foreign key named
  `item` with `related_name="review_steps"`;
- `Review`, the services (submit, return, approve, record) for one model, given how the app
  publishes an approved item;
- a permission `review_<model>` in the concrete model's Meta: who holds it may approve and return.

The state machine is the transition table TRANSITIONS: a step not in it raises
`TransitionNotAllowed` and changes nothing. Whether review is required at all is the setting
REVIEW_REQUIRED (env `REVIEW_REQUIRED`, on by default): off, editors publish directly and steps
are still recorded.

Imports no app of the project.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Action(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    EDITED = "edited", _("Edited after publication")


# action: (states it may start from, state it leads to). Publishing and unpublishing without
# review (REVIEW_REQUIRED off, or a reviewer's own action) start from any state.
_ANY = frozenset(ReviewState)
TRANSITIONS = {
    Action.SUBMITTED: (frozenset({ReviewState.DRAFT, ReviewState.RETURNED}), ReviewState.SUBMITTED),
    Action.RETURNED: (frozenset({ReviewState.SUBMITTED}), ReviewState.RETURNED),
    Action.APPROVED: (frozenset({ReviewState.SUBMITTED}), ReviewState.APPROVED),
    Action.PUBLISHED: (_ANY, ReviewState.APPROVED),
    Action.UNPUBLISHED: (_ANY, ReviewState.DRAFT),
    Action.EDITED: (frozenset({ReviewState.APPROVED}), ReviewState.DRAFT),
}


class TransitionNotAllowed(ValidationError):
    """A review step the item's state does not allow (e.g. approving a draft never submitted)."""


def next_state(state, action):
    """The state `action` leads to from `state`.

    Args:
        state: a ReviewState value.
        action: an Action value.
    Returns:
        ReviewState.
    Raises:
        TransitionNotAllowed: the table has no such step from `state`.
    """
    sources, target = TRANSITIONS[Action(action)]
    if ReviewState(state) not in sources:
        raise TransitionNotAllowed(
            gettext("“%(action)s” is not possible for an item that is “%(state)s”.")
            % {"action": Action(action).label, "state": ReviewState(state).label},
            code="review_transition",
        )
    return target


def review_required():
    """Whether publishing needs a reviewer's approval (settings.REVIEW_REQUIRED, on by default)."""
    return getattr(settings, "REVIEW_REQUIRED", True)


class ReviewedModel(models.Model):
    """An item that is reviewed before publication. Review fields change by `Review` only."""

    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState, default=ReviewState.DRAFT, editable=False, db_index=True
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    pending_revision = models.JSONField(
        _("pending revision"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The edited text of a published item, waiting for review; the published text stays public."),
    )

    # Fields a revision never carries: the review's own, and what the app derives or counts.
    review_fields = ("review_state", "last_edited_by", "pending_revision")
    # Fields of the concrete model a revision does not carry either (e.g. a status only review sets).
    not_in_revision = ()

    class Meta:
        abstract = True

    def review_authors(self):
        """The ids of the users who wrote or last changed the item: they may not approve it."""
        return {user_id for user_id in (getattr(self, "created_by_id", None), self.last_edited_by_id) if user_id}

    @property
    def has_pending_revision(self):
        return self.pending_revision is not None


class ReviewStep(models.Model):
    """One step of an item's review: what was done, by whom, when, and the comment."""

    action = models.CharField(_("step"), max_length=12, choices=Action)
    state = models.CharField(_("review"), max_length=10, choices=ReviewState, help_text=_("The state it led to."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def may_review(user, model):
    """Whether `user` holds `<app>.review_<model>` (superusers always)."""
    return user.has_perm(f"{model._meta.app_label}.review_{model._meta.model_name}")


def reviewers(model):
    """Active users who may review `model` (through a group or their own permission), superusers left out."""
    permission = Permission.objects.filter(
        content_type__app_label=model._meta.app_label, codename=f"review_{model._meta.model_name}"
    ).first()
    if permission is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True)
        .distinct()
    )


def revision_fields(model):
    """The concrete fields a pending revision carries: what an editor may edit, not the review's own."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and field.name not in model.review_fields
        and field.name not in model.not_in_revision
    ]


def capture_revision(instance, many_to_many=None):
    """A JSON copy of `instance` as edited (unsaved), for its pending revision.

    New uploads in its file fields are stored now (the copy keeps their names), not the row.

    Args:
        instance: the edited, unsaved model instance.
        many_to_many: {field name: list of primary keys} as edited, or None to keep the saved ones.
    Returns:
        dict, JSON-serialisable: {"fields": {...}, "m2m": {...}}.
    """
    fields = {}
    for field in revision_fields(type(instance)):
        if isinstance(field, models.FileField):
            field.pre_save(instance, add=False)  # commits a new upload to storage
        value = field.value_from_object(instance)
        fields[field.attname] = None if value is None else field.value_to_string(instance)
    return {"fields": fields, "m2m": {name: [str(pk) for pk in pks] for name, pks in (many_to_many or {}).items()}}


def apply_revision(instance, revision):
    """Set the fields of `instance` (in memory) from a pending revision made by capture_revision."""
    for field in revision_fields(type(instance)):
        if field.attname in revision["fields"]:
            value = revision["fields"][field.attname]
            if value is None or isinstance(field, models.FileField):
                setattr(instance, field.attname, value)
            else:
                setattr(instance, field.attname, field.to_python(value))
    return instance


def revision_many_to_many(revision):
    """{field name: [pk, ...]} of a pending revision."""
    return (revision or {}).get("m2m", {})


class Review:
    """The review services for one model (a ReviewedModel with a ReviewStep model related as `review_steps`).

    Args:
        model: the concrete model.
        publish: callable(item, user) -> item, publishing (or scheduling) the approved item,
            applying its pending revision first when it has one.
        admin_link: callable(item) -> str, the address of the item in the admin, for e-mails.
    """

    def __init__(self, model, *, publish, admin_link):
        self.model = model
        self.publish = publish
        self.admin_link = admin_link

    def record(self, item, action, user, comment=""):
        """Move `item` along the table by `action`, and record the step.

        The review state is written with an UPDATE: it is not the item's content, so it starts no
        new content version, adds nothing to the item's history and does not count as an edit.

        Returns:
            The step saved.
        Raises:
            TransitionNotAllowed.
        """
        state = next_state(item.review_state, action)
        self.model.objects.filter(pk=item.pk).update(review_state=state)
        item.review_state = state
        return item.review_steps.create(action=action, state=state, user=user, comment=comment.strip())

    @transaction.atomic
    def submit(self, item, user, comment=""):
        """Submit `item` for review; the reviewers are e-mailed.

        Returns:
            The step saved.
        Raises:
            TransitionNotAllowed: the item is already awaiting review, or approved with no new revision.
        """
        item = self._locked(item)
        step = self.record(item, Action.SUBMITTED, user, comment)
        recipients = [reviewer.email for reviewer in reviewers(self.model) if reviewer.email and reviewer != user]
        self._mail(item, step, recipients, gettext("Awaiting review: %(item)s"))
        return step

    @transaction.atomic
    def send_back(self, item, user, comment):
        """Return `item` to its writer with `comment` (required); the writer is e-mailed.

        Raises:
            PermissionError: `user` may not review.
            ValidationError: no comment.
            TransitionNotAllowed: the item is not awaiting review.
        """
        self._check_reviewer(user)
        if not comment.strip():
            raise ValidationError(gettext("Say what should change: a comment is required."), code="comment_required")
        item = self._locked(item)
        step = self.record(item, Action.RETURNED, user, comment)
        self._mail_writer(item, step, gettext("Returned: %(item)s"))
        return step

    @transaction.atomic
    def approve(self, item, user, comment=""):
        """Approve `item`: it is published (scheduled when its time is in the future); the writer is e-mailed.

        Raises:
            PermissionError: `user` may not review, or wrote or last changed the item (superusers excepted).
            TransitionNotAllowed: the item is not awaiting review.
        """
        self._check_reviewer(user)
        item = self._locked(item)
        if user.pk in item.review_authors() and not user.is_superuser:
            raise PermissionError(gettext("You wrote or last changed this item: another reviewer must approve it."))
        step = self.record(item, Action.APPROVED, user, comment)
        self.publish(item, user)
        self._mail_writer(item, step, gettext("Approved: %(item)s"))
        return step

    def _check_reviewer(self, user):
        if not may_review(user, self.model):
            raise PermissionError(gettext("Only reviewers may approve or return items."))

    def _locked(self, item):
        return self.model.objects.select_for_update().get(pk=item.pk)

    def _mail_writer(self, item, step, subject):
        submitted = item.review_steps.filter(action=Action.SUBMITTED).select_related("user").order_by("-at", "-pk")
        writer = next((s.user for s in submitted if s.user is not None), None)
        if writer is not None and writer.email and writer != step.user:
            self._mail(item, step, [writer.email], subject)

    def _mail(self, item, step, recipients, subject):
        if not recipients:
            return
        with override(settings.LANGUAGE_CODE):
            lines = [
                gettext("%(step)s by %(user)s.") % {"step": step.get_action_display(), "user": step.user or "—"},
                *([gettext("Comment:"), step.comment] if step.comment else []),
                "",
                self.admin_link(item),
            ]
            message = "\n".join(lines)
            subject = subject % {"item": item}
        transaction.on_commit(lambda: send_mail(subject, message, None, recipients))


def admin_change_path(item):
    """The path of `item`'s change page in the admin."""
    return reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
