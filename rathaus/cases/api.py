"""The back office API: /api/v1/cases — the inbox, one case, and its workflow steps. Staff session (password and
TOTP) with CSRF; every object is fetched through the staff member's permissions, so others' cases are 404."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from ninja import Field, Query, Router, Schema, Status
from ninja.security import APIKeyCookie
from pydantic import field_validator

from rathaus.accounts.models import User
from rathaus.accounts.selectors import staff_user_for_request
from rathaus.core.text import NO_NUL_PATTERN
from rathaus.tenants.requests import MunicipalityRequest
from rathaus.workflows import TransitionRefused, workflow_get

from . import selectors, services
from .models import Case
from .permissions import roles_for_case


class StaffSession(APIKeyCookie):
    """The back-office login (password and TOTP) of a staff member of the request's municipality."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: MunicipalityRequest, key: str | None) -> User | None:  # type: ignore[override]
        return staff_user_for_request(request, request.municipality)


router = Router(tags=["cases"], auth=StaffSession())


class ErrorOut(Schema):
    """401: not logged in to the back office; 403: CSRF token missing or a role that may not take the step;
    422: a malformed request (a parameter of the wrong type, a NUL character) or a step that lacks an input."""

    detail: str
    code: str = Field(
        "",
        description="stale_version, unknown_transition, not_from_this_state, role_not_allowed, "
        "condition_not_met, missing_requirement, refused",
    )
    requirement: str = Field("", description="for missing_requirement: the input that is missing")


class TransitionOut(Schema):
    code: str
    label: str
    requires: list[str]
    decision: bool


class CaseSummaryOut(Schema):
    id: UUID
    reference: str
    service_key: str
    state: str
    state_label: str
    applicant_name: str
    department: str
    assignee: str | None
    due_on: date | None
    overdue: bool
    version: int = Field(description="send it back with every change: a stale version is refused (409)")


class CaseOut(CaseSummaryOut):
    workflow: str
    created_at: datetime
    closed_at: datetime | None
    fee_amount: str | None
    payment_status: str
    transitions: list[TransitionOut] = Field(description="what the current user may do now")


class CaseListOut(Schema):
    count: int
    items: list[CaseSummaryOut]


class InboxQuery(Schema):
    leistung: str = Field("", max_length=60, pattern=NO_NUL_PATTERN)
    stand: str = Field("", max_length=60, pattern=NO_NUL_PATTERN)
    meine: str = Field("", max_length=10, pattern=NO_NUL_PATTERN)
    ueberfaellig: str = Field("", max_length=10, pattern=NO_NUL_PATTERN)
    q: str = Field("", max_length=200, pattern=NO_NUL_PATTERN)
    sortierung: str = Field("faellig", max_length=30, pattern=NO_NUL_PATTERN)
    offset: int = Field(0, ge=0)
    limit: int = Field(50, ge=1, le=200)


class TransitionIn(Schema):
    transition: str = Field(max_length=60)
    version: int
    reason_text: str = Field("", max_length=5000)
    question: str = Field("", max_length=5000)
    decision_letter: str = Field("", max_length=5000)
    department: str = Field("", max_length=60)

    @field_validator("transition", "reason_text", "question", "decision_letter", "department")
    @classmethod
    def no_nul(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")  # PostgreSQL can neither store nor compare them
        return value


class AssignIn(Schema):
    assignee: str | None = Field(None, description="user name of a staff member of the department; null: nobody")
    version: int

    @field_validator("assignee")
    @classmethod
    def no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


def _summary(case: Case) -> dict:
    return {
        "id": case.public_id,
        "reference": case.reference,
        "service_key": case.service_key,
        "state": case.state,
        "state_label": workflow_get(case.workflow).state(case.state).label,
        "applicant_name": case.applicant_name,
        "department": case.department.code,
        "assignee": case.assignee.get_username() if case.assignee else None,
        "due_on": case.due_on,
        "overdue": selectors.is_overdue(case),
        "version": case.version,
    }


def _detail(case: Case, user: User) -> dict:
    context = selectors.case_context(case)
    transitions = workflow_get(case.workflow).available_transitions(
        state=case.state, roles=roles_for_case(user=user, case=case), context=context
    )
    return {
        **_summary(case),
        "workflow": case.workflow,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
        "fee_amount": str(case.fee_amount) if case.fee_amount is not None else None,
        "payment_status": context["payment_status"],
        "transitions": [
            {"code": t.code, "label": t.label, "requires": list(t.requires), "decision": t.decision}
            for t in transitions
        ],
    }


def _user(request: MunicipalityRequest) -> User:
    user = getattr(request, "auth", None)  # set by StaffSession
    assert isinstance(user, User)
    return user


def _case(request: MunicipalityRequest, case_id: UUID) -> Case | None:
    assert request.municipality is not None
    return selectors.case_get_for_staff(user=_user(request), municipality=request.municipality, public_id=case_id)


NOT_FOUND = {"detail": "Diesen Vorgang gibt es nicht, oder Sie dürfen ihn nicht sehen.", "code": "not_found"}
REFUSAL_STATUS = {
    TransitionRefused.ROLE_NOT_ALLOWED: 403,
    TransitionRefused.NOT_FROM_THIS_STATE: 409,
    TransitionRefused.CONDITION_NOT_MET: 409,
    TransitionRefused.MISSING_REQUIREMENT: 422,
    TransitionRefused.UNKNOWN_TRANSITION: 422,
}


@router.get("", response={200: CaseListOut, 401: ErrorOut, 422: ErrorOut}, summary="The inbox: cases of my departments")
def list_cases(request: MunicipalityRequest, query: Query[InboxQuery]):
    assert request.municipality is not None
    filters = selectors.InboxFilter.from_query(query.dict())
    cases = selectors.case_list_for_staff(user=_user(request), municipality=request.municipality, filters=filters)
    page = cases[query.offset : query.offset + query.limit]
    return {"count": cases.count(), "items": [_summary(case) for case in page]}


@router.get(
    "/{case_id}",
    response={200: CaseOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One case (the read is audited)",
)
def get_case(request: MunicipalityRequest, case_id: UUID):
    case = _case(request, case_id)
    if case is None:
        return Status(404, NOT_FOUND)
    services.case_read_record(case=case, actor=_user(request))
    return _detail(case, _user(request))


@router.post(
    "/{case_id}/transitions",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Take a workflow step; refused with the reason (403 role, 409 state or stale version, 422 input)",
)
def take_transition(request: MunicipalityRequest, case_id: UUID, payload: TransitionIn):
    case = _case(request, case_id)
    if case is None:
        return Status(404, NOT_FOUND)
    user = _user(request)
    assert isinstance(user, User)
    try:
        case = services.case_transition(
            case=case,
            transition=payload.transition,
            actor=user,
            roles=roles_for_case(user=user, case=case),
            expected_version=payload.version,
            inputs=payload.dict(include={"reason_text", "question", "decision_letter", "department"}),
        )
    except TransitionRefused as refusal:
        return Status(
            REFUSAL_STATUS.get(refusal.code, 409),
            {"detail": refusal.message, "code": refusal.code, "requirement": refusal.requirement},
        )
    except services.CaseConflict as conflict:
        return Status(409, {"detail": str(conflict), "code": "stale_version"})
    except services.CaseError as error:
        return Status(409, {"detail": str(error), "code": "refused"})
    return _detail(case, user)


@router.post(
    "/{case_id}/assignee",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Assign the case to a staff member of its department",
)
def assign_case(request: MunicipalityRequest, case_id: UUID, payload: AssignIn):
    case = _case(request, case_id)
    if case is None:
        return Status(404, NOT_FOUND)
    user = _user(request)
    assert isinstance(user, User)
    assignee = None
    if payload.assignee:
        assignee = next((p for p in selectors.colleagues_for(case=case) if p.get_username() == payload.assignee), None)
        if assignee is None:
            return Status(
                422, {"detail": "Diese Person arbeitet nicht in der zuständigen Abteilung.", "code": "unknown_assignee"}
            )
    try:
        case = services.case_assign(case=case, assignee=assignee, actor=user, expected_version=payload.version)
    except services.CaseConflict as conflict:
        return Status(409, {"detail": str(conflict), "code": "stale_version"})
    except services.CaseError as error:
        return Status(422, {"detail": str(error), "code": "refused"})
    return _detail(case, user)
