from django.db import migrations

from core.groups import ALL_ACTIONS, COUNCIL_APPROVERS, MEMBERSHIP_SECRETARIAT, grant, remove

SECRETARIAT_PERMISSIONS = [
    ("membership", "membershipapplication", ["view", "review_application", "handle_personal_data"]),
    ("membership", "applicationevent", ["view"]),
    ("membership", "profilechange", ["view", "review_profilechange"]),
    ("membership", "membershipperiod", ALL_ACTIONS),
    ("membership", "memberdocument", ALL_ACTIONS),
    ("membership", "liaison", ["view", "change"]),
    ("membership", "renewalreminder", ["view"]),
    ("members", "organisation", ["view"]),
]
COUNCIL_PERMISSIONS = [
    ("membership", "membershipapplication", ["view", "decide_application"]),
    ("membership", "applicationevent", ["view"]),
]


def create_groups(apps, schema_editor):
    grant(apps, MEMBERSHIP_SECRETARIAT, SECRETARIAT_PERMISSIONS)
    grant(apps, COUNCIL_APPROVERS, COUNCIL_PERMISSIONS)


def delete_groups(apps, schema_editor):
    remove(apps, MEMBERSHIP_SECRETARIAT)
    remove(apps, COUNCIL_APPROVERS)


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0001_initial"),
        ("members", "0005_organisation_credit_code_public_contact"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
