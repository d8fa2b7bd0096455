from django.db import migrations

from core.groups import ALL_ACTIONS, EDITORS, REVIEWERS, grant, remove

EDITOR_PERMISSIONS = [
    ("news", "category", ALL_ACTIONS),
    ("news", "article", [*ALL_ACTIONS, "publish_article"]),
    ("news", "articlephoto", ALL_ACTIONS),
    ("news", "attachment", ALL_ACTIONS),
    ("news", "redirect", ALL_ACTIONS),
    # Read-only, to link articles to the offices, organisations and people they are about.
    ("offices", "office", ["view"]),
    ("members", "organisation", ["view"]),
    ("members", "person", ["view"]),
]
# Reviewers approve what Editors submit: they read and edit articles as Editors do, and review them.
REVIEWER_PERMISSIONS = [
    *EDITOR_PERMISSIONS[:1],
    ("news", "article", [*ALL_ACTIONS, "publish_article", "review_article"]),
    *EDITOR_PERMISSIONS[2:],
]
PREVIOUS_EDITOR_PERMISSIONS = [row for row in EDITOR_PERMISSIONS if row[1] != "redirect"]


def create_groups(apps, schema_editor):
    grant(apps, EDITORS, EDITOR_PERMISSIONS)
    grant(apps, REVIEWERS, REVIEWER_PERMISSIONS)
    # Articles published before review existed count as approved.
    apps.get_model("news", "Article").objects.filter(status="published").update(review_state="approved")


def remove_groups(apps, schema_editor):
    remove(apps, REVIEWERS)
    grant(apps, EDITORS, PREVIOUS_EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("news", "0012_review_expiry_redirects")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
