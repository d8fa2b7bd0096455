"""Model bases every app uses: derived fields computed in one step.

Imports no app of the project.
"""

from django.db import models


class DerivedFieldsModel(models.Model):
    """A model whose derived fields (slugs, sort keys, search documents ...) come from its source
    fields in one step, `derive()`.

    `save()` runs the step and, when given `update_fields`, saves the derived fields with them, so a
    partial save never leaves a derived field stale. Bulk writes (`bulk_create`, imports, the
    benchmark's data, restores) call `derive()` on each instance before writing.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        derived = self.derive()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        super().save(*args, **kwargs)

    def derive(self):
        """Set every derived field from the source fields as they are now.

        Subclasses extend it, calling `super().derive()`.

        Returns:
            set[str]: the attribute names of the fields it set.
        """
        return set()


def unique_slug(model, base, pk=None, taken=None):
    """`base`, or `base-2`, `base-3` ... whichever no other row of `model` uses.

    Args:
        model: the model class whose `slug` column must stay unique.
        base: the wanted slug (cut to 90 characters, leaving room for a suffix).
        pk: the primary key of the row being saved, whose own slug does not count as taken.
        taken: for rows written in bulk, a set of the slugs already given out in the batch; the
            database is then not asked, and the chosen slug is added to the set.
    Returns:
        str: the slug.
    """
    base = base[:90]
    if taken is None:
        in_use = set(model.objects.filter(slug__startswith=base).exclude(pk=pk).values_list("slug", flat=True))
    else:
        in_use = taken
    slug, n = base, 2
    while slug in in_use:
        slug, n = f"{base}-{n}", n + 1
    if taken is not None:
        taken.add(slug)
    return slug


def derive_rows(queryset, batch_size=500):
    """Run the derived-fields step on every row of `queryset` and store what it set, in batches.

    For rows written without `save()`: restored backups, and rows from before a derived field existed.
    Sends no signals.

    Args:
        queryset: rows of a `DerivedFieldsModel`.
        batch_size: rows read and written at a time.
    Returns:
        int: the number of rows.
    """
    count = 0
    rows = queryset.order_by("pk")
    last = None
    while True:
        batch = list((rows if last is None else rows.filter(pk__gt=last))[:batch_size])
        if not batch:
            return count
        fields = set()
        for row in batch:
            fields |= row.derive()
        queryset.model._base_manager.bulk_update(batch, sorted(fields))
        count += len(batch)
        last = batch[-1].pk
