from django.db import migrations

from core.groups import REVIEWERS, add, take_away

# Reviewers approve or return the events Event staff submit, as they do articles: they read and
# edit events (and name their organisers) and review them; publishing and unpublishing under
# review are theirs.
REVIEWER_EVENT_PERMISSIONS = [
    ("events", "event", ["view", "change", "publish_event", "review_event"]),
    ("offices", "committee", ["view"]),
]


def grant_review(apps, schema_editor):
    add(apps, REVIEWERS, REVIEWER_EVENT_PERMISSIONS)
    # Events published before review existed count as approved.
    apps.get_model("events", "Event").objects.filter(status="published").update(review_state="approved")


def withdraw_review(apps, schema_editor):
    take_away(apps, REVIEWERS, REVIEWER_EVENT_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_review"),
        # The Reviewers group and its article permissions, which this adds to (grant() there sets them exactly).
        ("news", "0015_reviewers_group"),
    ]

    operations = [migrations.RunPython(grant_review, withdraw_review)]
