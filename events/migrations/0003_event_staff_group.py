from django.db import migrations

from core.groups import ALL_ACTIONS, EVENT_STAFF, grant, remove

EVENT_STAFF_PERMISSIONS = [
    ("events", "event", [*ALL_ACTIONS, "publish_event", "check_in_registration"]),
    # Registrations come from the public form; staff approve, cancel, correct and export them.
    ("events", "registration", ["change", "view"]),
    ("events", "privacypolicy", ["view"]),
    # Read-only, to name the offices, committees and organisations organising an event.
    ("offices", "office", ["view"]),
    ("offices", "committee", ["view"]),
    ("members", "organisation", ["view"]),
]

FIRST_POLICY = """苏州市工业互联网产业联盟收集您在活动报名时填写的姓名、单位、职务、手机号码和电子邮箱，仅用于活动报名、通知、签到和统计。
活动结束后，上述个人信息将在规定期限内删除，仅保留不含个人信息的统计数字。您可以随时通过确认邮件中的链接查看或取消报名。"""


def create_group(apps, schema_editor):
    grant(apps, EVENT_STAFF, EVENT_STAFF_PERMISSIONS)
    PrivacyPolicy = apps.get_model("events", "PrivacyPolicy")
    PrivacyPolicy.objects.get_or_create(version="2026-11", defaults={"text": FIRST_POLICY})


def delete_group(apps, schema_editor):
    remove(apps, EVENT_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_search_vector"),
        ("members", "0002_search_vector"),
        ("offices", "0002_search_vector"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
