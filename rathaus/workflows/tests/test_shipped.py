"""The shipped workflows: every one a service definition names exists and is valid, and each can be walked from
its initial state to a final state by the people allowed to, once its conditions and inputs are satisfied."""

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from rathaus.catalog.definition_schema import DEFINITION
from rathaus.workflows import Action, Workflow, WorkflowNotFound, workflow_get, workflow_load, workflow_names
from rathaus.workflows.loader import DEFINITIONS_DIR

SHIPPED = [
    "acknowledge",
    "appointment_only",
    "approval_with_fee",
    "forward",
    "request_for_information",
    "reservation",
    "simple_approval",
]


def service_workflows() -> dict[str, str]:
    return {
        path.name: data["workflow"]
        for path in sorted(settings.RATHAUS_SERVICES_DIR.glob("*.yaml"))
        if path.name != "taxonomy.yaml"
        and "workflow" in (data := yaml.safe_load(path.read_text(encoding="utf-8")))  # reservations, reports: none
    }


def test_the_seven_common_workflows_are_shipped():
    assert workflow_names() == SHIPPED


def test_every_workflow_a_service_definition_names_exists_and_is_valid():
    named = service_workflows()
    assert len(named) >= 30
    for file, name in named.items():
        assert name in SHIPPED, f"services/{file} names the workflow {name!r}, which is not shipped"
        assert workflow_get(name).name == name


def test_every_workflow_the_service_definition_schema_allows_is_shipped():
    assert sorted(DEFINITION["properties"]["workflow"]["enum"]) == SHIPPED


def paths_to_a_final_state(workflow: Workflow) -> bool:
    seen, todo = {workflow.initial}, [workflow.initial]
    while todo:
        state = todo.pop()
        if workflow.states[state].final:
            return True
        for transition in workflow.transitions.values():
            if state in transition.sources and transition.target not in seen:
                seen.add(transition.target)
                todo.append(transition.target)
    return False


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_workflow_has_a_path_from_its_initial_state_to_a_final_state(name):
    workflow = workflow_load(DEFINITIONS_DIR / f"{name}.yaml")
    assert paths_to_a_final_state(workflow)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_state_tells_the_citizen_where_the_case_stands_in_both_languages(name):
    workflow = workflow_get(name)
    for code in workflow.states:
        with translation.override("de"):
            german = workflow.citizen_status(code)
        with translation.override("en"):
            english = workflow.citizen_status(code)
        assert german and english and german != english


# (transition, role taking it, context it is taken in); walked from the initial state.
HAPPY_PATHS = {
    "simple_approval": [
        ("start", "caseworker", {}),
        ("approve", "caseworker", {}),
        ("close", "system", {}),
    ],
    "approval_with_fee": [
        ("start", "caseworker", {}),
        ("approve", "caseworker", {}),
        ("payment_received", "system", {"payment_status": "paid"}),
        ("close", "system", {}),
    ],
    "request_for_information": [
        ("start", "caseworker", {}),
        ("request_information", "caseworker", {"question": "Bitte reichen Sie den Lageplan nach."}),
        ("answer_received", "citizen", {"information_received": True}),
        ("reject", "team_lead", {"reason_text": "Der Baum steht unter Naturschutz."}),
        ("close", "caseworker", {}),
    ],
    "forward": [
        ("forward", "caseworker", {"department": "umwelt"}),
        ("start", "caseworker", {}),
        ("close", "caseworker", {}),
    ],
    "acknowledge": [("close", "caseworker", {})],
    "reservation": [("confirm", "caseworker", {})],
    "appointment_only": [("close", "system", {})],
}


@pytest.mark.parametrize("name", SHIPPED)
def test_the_happy_path_of_each_workflow_ends_in_a_final_state(name):
    workflow = workflow_get(name)
    state = workflow.initial
    visited = [state]
    for code, role, context in HAPPY_PATHS[name]:
        assert not workflow.states[state].final
        offered = [t.code for t in workflow.available_transitions(state=state, roles={role}, context=context)]
        assert code in offered, f"{code!r} is not offered to {role} in {state!r}"
        state = workflow.check_transition(state=state, transition=code, roles={role}, context=context).target
        visited.append(state)
    assert workflow.states[state].final, visited


def test_the_approval_with_fee_issues_the_letter_and_asks_for_the_fee():
    workflow = workflow_get("approval_with_fee")
    assert workflow.actions_for("approve") == [
        Action("issue_decision_letter", {"template": "approval"}),
        Action("request_payment", {}),
        Action("notify_citizen", {"template": "decision"}),
    ]
    assert workflow.states["approved"].waits_for == "payment"


def test_a_request_for_information_goes_to_the_postbox_and_the_case_waits_for_the_citizen():
    workflow = workflow_get("request_for_information")
    assert workflow.actions_for("request_information") == [
        Action("send_request_for_information", {}),
        Action("set_deadline", {"days": 14}),
    ]
    assert workflow.states["waiting_for_citizen"].waits_for == "citizen"
    with translation.override("de"):
        assert workflow.citizen_status("waiting_for_citizen") == (
            "Wir haben eine Frage an Sie. Bitte antworten Sie in Ihrem Postfach."
        )


def test_forwarding_hands_the_case_to_the_chosen_department_which_finds_it_as_received():
    workflow = workflow_get("forward")
    transition = workflow.check_transition(
        state="in_progress", transition="forward", roles={"caseworker"}, context={"department": "umwelt"}
    )
    assert transition.target == "received"
    assert transition.requires == ("department",)
    assert workflow.actions_for("forward")[0] == Action("assign_to_department", {})


def test_a_requested_date_is_confirmed_by_staff_with_one_click_without_any_input():
    workflow = workflow_get("reservation")
    confirm = workflow.transitions["confirm"]
    assert (confirm.requires, confirm.conditions) == ((), ())
    assert workflow.actions_for("confirm") == [Action("notify_citizen", {"template": "reservation_confirmed"})]


def test_workflows_are_loaded_once():
    assert workflow_get("simple_approval") is workflow_get("simple_approval")


@pytest.mark.parametrize("name", ["unknown", "../definitions/simple_approval", "", "Simple_Approval"])
def test_an_unknown_workflow_name_is_refused(name):
    with pytest.raises(WorkflowNotFound):
        workflow_get(name)
