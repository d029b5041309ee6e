"""Writes of accounts and staff roles."""

from django.db import transaction

from rathaus.tenants.models import Department, Municipality

from .models import StaffRole, User


@transaction.atomic
def user_ensure(*, username: str, email: str, password: str, **fields: object) -> tuple[User, bool]:
    """Create the user unless the username exists; an existing account (and its password) is kept."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing, False
    user = User(username=username, email=email, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, True


@transaction.atomic
def staff_role_ensure(
    *, user: User, municipality: Municipality, role: str, department: Department | None = None
) -> StaffRole:
    staff_role, _created = StaffRole.objects.get_or_create(
        user=user, municipality=municipality, department=department, role=role
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return staff_role
