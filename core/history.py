"""Reverting one object to a stored version of its history (django-reversion).

A revision holds every row saved together: an admin save holds the object and the rows it
follows (an office's seats, an article's photos), but an import, an admin action or the demo
content holds many unrelated rows. django-reversion reverts a whole revision; here only the part
that belongs to one object is reverted, so going back in one object's history never changes
another.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import transaction
from django.db.models.deletion import Collector
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext
from reversion.models import _safe_revert
from reversion.revisions import _follow_relations_recursive, _get_options


def _content_type(model, db):
    return ContentType.objects.db_manager(db).get_for_model(
        model, for_concrete_model=_get_options(model).for_concrete_model
    )


def _followed_versions(version, follow_name, versions):
    """The versions among `versions` of the rows `version`'s object follows through `follow_name`."""
    model = version._model
    relation = next((rel for rel in model._meta.related_objects if rel.get_accessor_name() == follow_name), None)
    if relation is not None:
        # A reverse relation (an office's seats): the rows whose stored key points at this object.
        content_type = _content_type(relation.related_model, version.db)
        target = relation.field.target_field
        key = version.object_id if target.primary_key else str(version.field_dict.get(target.attname))
        for candidate in versions:
            if candidate.content_type_id != content_type.pk:
                continue
            value = candidate.field_dict.get(relation.field.attname)
            keys = value if relation.many_to_many else [value]
            if key in {str(item) for item in keys or []}:
                yield candidate
        return
    try:
        field = model._meta.get_field(follow_name)
    except FieldDoesNotExist:
        raise ImproperlyConfigured(f"{model.__name__} follows {follow_name!r}, which is not a relation.") from None
    # A forward relation (a seat's office): the rows whose keys this object stored.
    content_type = _content_type(field.related_model, version.db)
    value = version.field_dict.get(field.attname)
    keys = {str(item) for item in (value if field.many_to_many else [value]) if item is not None}
    yield from (item for item in versions if item.content_type_id == content_type.pk and item.object_id in keys)


def versions_of_object(version):
    """The versions of `version`'s revision that belong to its object.

    Args:
        version: a reversion `Version`.

    Returns:
        A list of `Version`: `version` itself first, then those of the rows its object follows
        (as registered with reversion, recursively), as they were stored in that revision.

    Raises:
        ImproperlyConfigured: a registered `follow` names something other than a relation.
    """
    others = [item for item in version.revision.version_set.filter(db=version.db) if item.pk != version.pk]
    found, queue = [version], [version]
    while queue:
        current = queue.pop()
        for follow_name in _get_options(current._model).follow:
            for item in _followed_versions(current, follow_name, others):
                if item not in found:
                    found.append(item)
                    queue.append(item)
    return found


def revert_object(version):
    """Put `version`'s object, and the rows it follows, back as they were in that version.

    Rows the object follows now but did not then (a seat added since) are deleted, as
    django-reversion does for a whole revision. Rows of the revision that belong to other objects
    are left alone. Fields a model keeps out of its history (registered with `exclude`, such as
    an edit counter) are not part of any version: they keep their current values. Runs in one
    transaction; inside `reversion.create_revision()` the restored rows are recorded in the new
    revision.

    Args:
        version: a reversion `Version`.

    Raises:
        reversion.errors.RevertError: a stored row cannot be saved (a missing dependency, or
            data the current schema cannot load).
        django.db.models.ProtectedError: a row to delete is protected.
    """
    versions = versions_of_object(version)
    with transaction.atomic(using=version.db):
        existing = set()
        for item in versions:
            manager = item._model._default_manager.using(item.db)
            existing.update(manager.filter(**{_get_options(item._model).object_id_field: item.object_id}))
        added_since = {row for obj in existing for row in _follow_relations_recursive(obj)} - existing
        if added_since:
            collector = Collector(using=version.db)
            for row in added_since:
                collector.collect([row])
            collector.delete()
        for item in versions:
            _keep_unrecorded_fields(item)
        _safe_revert(versions)


def _keep_unrecorded_fields(version):
    """Give the row `version` restores the current values of the fields its history leaves out."""
    options = _get_options(version._model)
    recorded = set(options.fields)
    unrecorded = [
        field.attname
        for field in version._model._meta.local_concrete_fields
        if field.name not in recorded and not field.primary_key
    ]
    if not unrecorded:
        return
    rows = version._model._default_manager.using(version.db).filter(**{options.object_id_field: version.object_id})
    current = rows.values(*unrecorded).first()
    if current is not None:
        restored = version._object_version.object
        for attname, value in current.items():
            setattr(restored, attname, value)


def revert_message(version, recovered=False):
    """What the history and the admin log say of a revert: which version, saved when and by whom.

    Args:
        version: the reversion `Version` reverted to.
        recovered: whether the object had been deleted and is brought back.

    Returns:
        A sentence in the active language.
    """
    revision = version.revision
    values = {
        "number": version.pk,
        "datetime": localize(template_localtime(revision.date_created)),
        "user": revision.user.get_username() if revision.user else gettext("nobody known"),
    }
    if recovered:
        return gettext("Recovered from version %(number)s, saved on %(datetime)s by %(user)s.") % values
    return gettext("Reverted to version %(number)s, saved on %(datetime)s by %(user)s.") % values
