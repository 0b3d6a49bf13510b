"""Writes of staff accounts: the demo logins of a development copy."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction


@transaction.atomic
def staff_account_create(
    *, username: str, password: str, group_names: list[str]
) -> AbstractUser:
    """A staff account in the given role groups (services/workflow/roles.py)."""
    groups = list(Group.objects.filter(name__in=group_names))
    missing = set(group_names) - {group.name for group in groups}
    if missing:
        raise ValueError(
            f"No such groups: {', '.join(sorted(missing))}. Run `manage.py migrate`."
        )
    user = get_user_model().objects.create_user(
        username=username, password=password, is_staff=True
    )
    user.groups.set(groups)
    return user
