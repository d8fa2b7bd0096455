"""Staff groups and what they may do. Used by data migrations; imports no app."""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
ROSTER_STAFF = "Roster staff"
EVENT_STAFF = "Event staff"
MEMBERSHIP_SECRETARIAT = "Membership secretariat"
COUNCIL_APPROVERS = "Council approvers"
REVIEWERS = "Reviewers"
SECRETARIAT = "Secretariat"

ALL_ACTIONS = ("add", "change", "delete", "view")


def grant(apps, group_name, permissions):
    """Create or update `group_name` with exactly `permissions`: [(app_label, model, [actions])].

    Permissions are created first: on a new database they would otherwise exist only after
    the last migration.
    """
    group, wanted = _group_and_permissions(apps, group_name, permissions)
    group.permissions.set(wanted)


def _group_and_permissions(apps, group_name, permissions):
    for app_config in apps.get_app_configs():
        # create_permissions() skips an app without a models module, as a migration's state
        # has none; the running project's app configs must keep theirs, or flush stops making
        # permissions (post_migrate skips such apps).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    wanted = []
    for app_label, model, actions in permissions:
        for action in actions:
            codename = action if "_" in action else f"{action}_{model}"
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group, wanted


def add(apps, group_name, permissions):
    """Give `group_name` (created if missing) `permissions` too, keeping what it has: for an app
    extending a group another app made (e.g. events letting the Reviewers review events)."""
    group, wanted = _group_and_permissions(apps, group_name, permissions)
    group.permissions.add(*wanted)


def take_away(apps, group_name, permissions):
    """Undo `add`: remove `permissions` from `group_name`, keeping the rest."""
    group, wanted = _group_and_permissions(apps, group_name, permissions)
    group.permissions.remove(*wanted)


def remove(apps, group_name):
    apps.get_model("auth", "Group").objects.filter(name=group_name).delete()
