"""What a workflow allows whom, and how it says no: a translated reason and a code for machines.

German texts from the YAML (condition messages, state titles) are asserted in German; texts from gettext are
asserted by their English msgids (their German translation comes with the project's compiled catalogue).
"""

import pytest
from django.utils import translation

from rathaus.workflows import TransitionRefused, UnknownState, workflow_get

STAFF = {"caseworker"}
LEAD = {"team_lead"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(workflow_name: str, **kwargs) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as refused:
        workflow_get(workflow_name).check_transition(**kwargs)
    return refused.value


def test_an_allowed_transition_is_returned_with_its_target():
    transition = workflow_get("simple_approval").check_transition(
        state="in_progress", transition="approve", roles=STAFF, context={}
    )
    assert (transition.code, transition.target, transition.label) == ("approve", "approved", "Approve")


def test_an_unknown_transition_is_refused():
    refused = refusal("simple_approval", state="in_progress", transition="approve_quickly", roles=STAFF, context={})
    assert refused.code == "unknown_transition"
    assert refused.message == "The action “approve_quickly” does not exist in this procedure."


def test_a_transition_from_another_state_is_refused_naming_the_current_state():
    refused = refusal("simple_approval", state="closed", transition="approve", roles=LEAD, context={})
    assert refused.code == "not_from_this_state"
    assert refused.message == "This action is not possible in the state “closed”."
    assert (refused.transition, refused.state) == ("approve", "closed")


def test_the_state_in_the_refusal_is_named_in_the_active_language():
    with translation.override("de"):
        refused = refusal("simple_approval", state="closed", transition="approve", roles=LEAD, context={})
    assert "„abgeschlossen“" in refused.message or "“abgeschlossen”" in refused.message


def test_a_rejection_by_a_caseworker_is_refused_because_only_the_team_lead_decides_it():
    refused = refusal("simple_approval", state="in_progress", transition="reject", roles=STAFF, context={})
    assert refused.code == "role_not_allowed"
    assert refused.message == "Only the team lead or the head of department may take this decision."


def test_a_step_that_is_no_decision_is_refused_with_a_plain_wording():
    refused = refusal("simple_approval", state="received", transition="start", roles={"citizen"}, context={})
    assert refused.code == "role_not_allowed"
    assert refused.message == "Only the caseworker, the team lead or the head of department may do this."


def test_one_allowed_role_among_several_is_enough():
    workflow = workflow_get("simple_approval")
    transition = workflow.check_transition(
        state="in_progress", transition="reject", roles={"caseworker", "team_lead"}, context={"reason_text": "§ 3"}
    )
    assert transition.target == "rejected"


def test_an_unpaid_fee_is_refused_with_the_reason_from_the_definition():
    refused = refusal(
        "approval_with_fee",
        state="approved",
        transition="payment_received",
        roles={"system"},
        context={"payment_status": "open"},
    )
    assert refused.code == "condition_not_met"
    assert refused.message == "The fee has not been paid yet."
    with translation.override("de"):
        refused = refusal(
            "approval_with_fee", state="approved", transition="payment_received", roles={"system"}, context={}
        )
    assert refused.message == "Die Gebühr ist noch nicht bezahlt."


def test_a_rejection_without_a_reason_is_refused_and_names_the_missing_input():
    for context in ({}, {"reason_text": "   "}, {"reason_text": None}):
        refused = refusal("simple_approval", state="in_progress", transition="reject", roles=LEAD, context=context)
        assert refused.code == "missing_requirement"
        assert refused.requirement == "reason_text"
        assert refused.message == "Please give a reason."


def test_the_state_is_checked_before_the_role_the_role_before_conditions_and_conditions_before_inputs():
    assert refusal("approval_with_fee", state="closed", transition="reject", roles=STAFF, context={}).code == (
        "not_from_this_state"
    )
    assert refusal("approval_with_fee", state="in_progress", transition="reject", roles=STAFF, context={}).code == (
        "role_not_allowed"
    )
    assert refusal(
        "approval_with_fee", state="approved", transition="payment_received", roles={"system"}, context={}
    ).code == ("condition_not_met")


def test_a_refusal_is_an_exception_whose_text_is_the_message():
    refused = refusal("simple_approval", state="in_progress", transition="reject", roles=LEAD, context={})
    assert str(refused) == refused.message


def test_available_transitions_offer_only_what_the_roles_may_do_in_this_state():
    workflow = workflow_get("simple_approval")
    assert [t.code for t in workflow.available_transitions(state="in_progress", roles=STAFF, context={})] == ["approve"]
    assert [t.code for t in workflow.available_transitions(state="in_progress", roles=LEAD, context={})] == [
        "approve",
        "reject",
    ]
    assert workflow.available_transitions(state="in_progress", roles={"citizen"}, context={}) == []
    assert workflow.available_transitions(state="closed", roles=LEAD, context={}) == []


def test_available_transitions_leave_out_those_whose_conditions_do_not_hold_but_not_those_missing_an_input():
    workflow = workflow_get("approval_with_fee")
    assert workflow.available_transitions(state="approved", roles={"system"}, context={"payment_status": "open"}) == []
    assert [
        t.code
        for t in workflow.available_transitions(state="approved", roles={"system"}, context={"payment_status": "paid"})
    ] == ["payment_received"]
    # `reject` needs a reason, which the form behind the button asks for; the button is still offered.
    assert "reject" in [t.code for t in workflow.available_transitions(state="in_progress", roles=LEAD, context={})]


def test_the_citizen_waiting_for_an_answer_resumes_the_case_only_once_the_answer_is_there():
    workflow = workflow_get("request_for_information")
    waiting = {"state": "waiting_for_citizen", "roles": {"citizen"}}
    assert workflow.available_transitions(**waiting, context={"information_received": False}) == []
    refused = refusal("request_for_information", **waiting, transition="answer_received", context={})
    assert (refused.code, refused.message) == ("condition_not_met", "The applicant has not answered yet.")
    taken = workflow.check_transition(**waiting, transition="answer_received", context={"information_received": True})
    assert taken.target == "in_progress"


def test_conditions_combine_with_all_and_any_like_form_conditions(tmp_path):
    from rathaus.workflows import Condition

    condition = Condition(
        when={"all": [{"field": "payment_status", "equals": "paid"}, {"any": [{"field": "kind", "in": ["a", "b"]}]}]},
        message={"de": "x", "en": "x"},
    )
    assert condition.holds({"payment_status": "paid", "kind": "b"})
    assert not condition.holds({"payment_status": "paid", "kind": "c"})
    assert not condition.holds({"kind": "a"})


def test_an_unknown_state_is_an_error_of_the_caller_except_when_checking_a_step():
    workflow = workflow_get("simple_approval")
    with pytest.raises(UnknownState):
        workflow.available_transitions(state="archived", roles=LEAD, context={})
    with pytest.raises(UnknownState):
        workflow.citizen_status("archived")
    refused = refusal("simple_approval", state="archived", transition="approve", roles=LEAD, context={})
    assert (refused.code, refused.message) == (
        "not_from_this_state",
        "This action is not possible in the state “archived”.",
    )
