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
# (EDITOR_PERMISSIONS is what Editors have with this migration, the base of the Reviewers' list.)
REVIEWER_PERMISSIONS = [
    *EDITOR_PERMISSIONS[:1],
    ("news", "article", [*ALL_ACTIONS, "publish_article", "review_article"]),
    *EDITOR_PERMISSIONS[2:],
    ("events", "event", ["view"]),  # to name the event an article reports on
]
REDIRECT_CODENAMES = [f"{action}_redirect" for action in ALL_ACTIONS]


def editors_and_redirects(apps):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name=EDITORS).first()
    redirects = Permission.objects.filter(content_type__app_label="news", codename__in=REDIRECT_CODENAMES)
    return editors, redirects


def create_groups(apps, schema_editor):
    grant(apps, REVIEWERS, REVIEWER_PERMISSIONS)  # creates the redirect permissions too
    # Editors keep what other migrations gave them, and may manage redirects.
    editors, redirects = editors_and_redirects(apps)
    if editors is not None:
        editors.permissions.add(*redirects)
    # Articles published before review existed count as approved.
    apps.get_model("news", "Article").objects.filter(status="published").update(review_state="approved")


def remove_groups(apps, schema_editor):
    remove(apps, REVIEWERS)
    editors, redirects = editors_and_redirects(apps)
    if editors is not None:
        editors.permissions.remove(*redirects)


class Migration(migrations.Migration):
    dependencies = [("news", "0014_review_expiry_redirects")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
