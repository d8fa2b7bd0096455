from django.db import migrations

from core.groups import EDITORS


def let_editors_view_events(apps, schema_editor):
    """Editors name the event an article reports on (Article.event): they may view events."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORS).first()
    permission = Permission.objects.filter(content_type__app_label="events", codename="view_event").first()
    if group and permission:
        group.permissions.add(permission)


def undo(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    if group := Group.objects.filter(name=EDITORS).first():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="events", codename="view_event"))


class Migration(migrations.Migration):
    dependencies = [("news", "0012_article_event"), ("events", "0003_event_staff_group")]

    operations = [migrations.RunPython(let_editors_view_events, undo)]
