"""Reads of applications, always for the person asking: a citizen never sees another's application."""

from __future__ import annotations

from uuid import UUID

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest

from rathaus.accounts.models import User
from rathaus.tenants.models import Municipality

from .models import Application

GUEST_SESSION_KEY = "rathaus_guest_applications"
RESUME_SALT = "rathaus.applications.resume"


def application_get_for_request(
    *, request: HttpRequest, municipality: Municipality | None, public_id: UUID | str
) -> Application | None:
    """The application if the request may see it: the applicant's own, or a guest's from this browser session."""
    if municipality is None:
        return None
    queryset = Application.objects.select_related("definition", "municipality").filter(
        municipality=municipality, public_id=public_id
    )
    user = request.user
    if user.is_authenticated:
        return queryset.filter(applicant=user).first()
    if str(public_id) in request.session.get(GUEST_SESSION_KEY, []):
        return queryset.filter(applicant__isnull=True).first()
    return None


def applications_for_user(*, user: User, municipality: Municipality) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user, municipality=municipality)
        .select_related("definition")
        .prefetch_related("status_changes")
        .exclude(status=Application.Status.EXPIRED)
    )


def guest_grant(*, request: HttpRequest, application: Application) -> None:
    """Let this browser session continue a guest's application."""
    granted = request.session.get(GUEST_SESSION_KEY, [])
    if str(application.public_id) not in granted:
        request.session[GUEST_SESSION_KEY] = [*granted[-19:], str(application.public_id)]


def resume_token(application: Application) -> str:
    return signing.dumps(str(application.public_id), salt=RESUME_SALT)


def resume_token_application_id(token: str, *, max_age_seconds: int) -> str | None:
    try:
        return signing.loads(token, salt=RESUME_SALT, max_age=max_age_seconds)
    except signing.BadSignature:
        return None
