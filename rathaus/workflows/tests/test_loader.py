"""A workflow definition is validated with errors that name the file, the path inside it and what is wrong."""

import copy
from pathlib import Path

import pytest
import yaml

from rathaus.workflows import WorkflowInvalid, workflow_load
from rathaus.workflows.loader import DEFINITIONS_DIR

BASE = yaml.safe_load((DEFINITIONS_DIR / "simple_approval.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def definition() -> dict:
    data = copy.deepcopy(BASE)
    data["name"] = "test_flow"
    return data


def problems_of(tmp_path: Path, data: dict) -> list[str]:
    path = tmp_path / "test_flow.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(WorkflowInvalid) as invalid:
        workflow_load(path)
    return [str(problem) for problem in invalid.value.problems]


def test_the_shipped_example_loads_with_its_states_and_transitions(tmp_path, definition):
    path = tmp_path / "test_flow.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    workflow = workflow_load(path)
    assert workflow.initial == "received"
    assert list(workflow.states) == ["received", "in_progress", "approved", "rejected", "closed"]
    assert workflow.transitions["reject"].requires == ("reason_text",)
    assert workflow.source == str(path)


def test_a_missing_field_is_named(tmp_path, definition):
    del definition["initial"]
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: (file): 'initial' is a required property"
    ]


def test_the_name_must_be_the_file_name(tmp_path, definition):
    definition["name"] = "other_flow"
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: name: 'other_flow' must be the file name without .yaml ('test_flow')"
    ]


def test_an_unknown_role_is_reported_at_its_path(tmp_path, definition):
    definition["transitions"]["approve"]["roles"] = ["caseworker", "mayor"]
    problems = problems_of(tmp_path, definition)
    assert len(problems) == 1
    assert ": transitions.approve.roles[1]: 'mayor' is not one of ['caseworker', 'team_lead'," in problems[0]


def test_an_unknown_requirement_and_a_wrong_condition_shape_are_reported(tmp_path, definition):
    definition["transitions"]["reject"]["requires"] = ["signature"]
    definition["transitions"]["approve"]["conditions"] = [
        {"when": {"field": "payment_status", "equal": "paid"}, "message": {"de": "x", "en": "x"}}
    ]
    problems = problems_of(tmp_path, definition)
    assert any(": transitions.reject.requires[0]: 'signature' is not one of" in p for p in problems)
    assert any(": transitions.approve.conditions[0].when: " in p for p in problems)


def test_a_condition_without_a_message_is_refused_because_a_refusal_must_say_why(tmp_path, definition):
    definition["transitions"]["approve"]["conditions"] = [{"when": {"field": "payment_status", "equals": "paid"}}]
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: transitions.approve.conditions[0]: 'message' is a required property"
    ]


def test_unknown_states_in_transitions_and_initial_are_named_with_the_known_ones(tmp_path, definition):
    definition["initial"] = "new"
    definition["transitions"]["start"]["from"] = ["received", "draft"]
    definition["transitions"]["close"]["to"] = "archived"
    problems = problems_of(tmp_path, definition)
    file = tmp_path / "test_flow.yaml"
    known = "received, in_progress, approved, rejected, closed"
    assert problems == [
        f"{file}: initial: unknown state 'new'; states: {known}",
        f"{file}: transitions.start.from[1]: unknown state 'draft'; states: {known}",
        f"{file}: transitions.close.to: unknown state 'archived'; states: {known}",
    ]


def test_an_unreachable_state_is_reported(tmp_path, definition):
    definition["states"]["archived"] = {
        "title": {"de": "archiviert", "en": "archived"},
        "final": True,
        "citizen_status": {"de": "archiviert", "en": "archived"},
    }
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: states.archived: unreachable: no transitions lead to it from the initial "
        "state 'received'"
    ]


def test_a_workflow_without_a_path_to_a_final_state_is_refused(tmp_path, definition):
    definition["states"]["closed"]["final"] = False
    definition["transitions"]["reopen"] = {
        "from": ["closed"],
        "to": "in_progress",
        "title": {"de": "Wieder öffnen", "en": "Reopen"},
        "roles": ["team_lead"],
    }
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: states: no path from the initial state 'received' to a final state"
    ]


def test_a_state_from_which_no_final_state_can_be_reached_is_a_trap(tmp_path, definition):
    definition["states"]["parked"] = {
        "title": {"de": "geparkt", "en": "parked"},
        "final": False,
        "citizen_status": {"de": "geparkt", "en": "parked"},
    }
    definition["transitions"]["park"] = {
        "from": ["in_progress"],
        "to": "parked",
        "title": {"de": "Parken", "en": "Park"},
        "roles": ["caseworker"],
    }
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: states.parked: a case in this state can never reach a final state"
    ]


def test_nothing_may_leave_a_final_state(tmp_path, definition):
    definition["transitions"]["reopen"] = {
        "from": ["closed"],
        "to": "in_progress",
        "title": {"de": "Wieder öffnen", "en": "Reopen"},
        "roles": ["team_lead"],
    }
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: transitions.reopen.from[0]: 'closed' is a final state; nothing may leave it"
    ]


def test_unknown_actions_and_wrong_parameters_are_named(tmp_path, definition):
    definition["states"]["approved"]["on_entry"] = [
        {"action": "notfiy_citizen"},
        {"action": "issue_decision_letter"},
        {"action": "request_payment", "amount": "20.00"},
    ]
    problems = problems_of(tmp_path, definition)
    file = tmp_path / "test_flow.yaml"
    assert problems == [
        f"{file}: states.approved.on_entry[0].action: unknown action 'notfiy_citizen'; known: assign_to_department, "
        "issue_decision_letter, notify_citizen, request_payment, "
        "send_request_for_information, set_deadline",
        f"{file}: states.approved.on_entry[1]: action 'issue_decision_letter' needs the parameter 'template'",
        f"{file}: states.approved.on_entry[2].amount: action 'request_payment' has no parameter 'amount'",
    ]


def test_an_action_that_needs_an_input_needs_it_on_every_transition_leading_to_it(tmp_path, definition):
    definition["states"]["in_progress"]["on_entry"] = [{"action": "assign_to_department"}]
    definition["transitions"]["approve"]["on_taken"] = [{"action": "send_request_for_information"}]
    problems = problems_of(tmp_path, definition)
    file = tmp_path / "test_flow.yaml"
    assert problems == [
        f"{file}: transitions.approve.on_taken[0]: action 'send_request_for_information' needs 'question'; add it "
        "to transitions.approve.requires",
        f"{file}: states.in_progress.on_entry[0]: action 'assign_to_department' needs 'department'; add it to "
        "transitions.start.requires",
    ]


def test_a_deadline_must_be_a_sensible_number_of_days(tmp_path, definition):
    definition["states"]["in_progress"]["on_entry"] = [{"action": "set_deadline", "days": 0}]
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: states.in_progress.on_entry[0].days: must be a whole number of days from 1 "
        "to 365"
    ]


def test_a_state_that_waits_must_be_left_by_whoever_it_waits_for(tmp_path, definition):
    definition["states"]["in_progress"]["waits_for"] = "payment"
    definition["states"]["received"]["waits_for"] = "citizen"
    definition["states"]["approved"]["waits_for"] = "payment"  # left by `close`, which the system may take
    problems = problems_of(tmp_path, definition)
    file = tmp_path / "test_flow.yaml"
    assert problems == [
        f"{file}: states.received.waits_for: waits for citizen, but no transition from 'received' may be taken by "
        "citizen or system",
        f"{file}: states.in_progress.waits_for: waits for payment, but no transition from 'in_progress' may be "
        "taken by system",
    ]


def test_a_final_state_waits_for_nothing(tmp_path, definition):
    definition["states"]["closed"]["waits_for"] = "citizen"
    assert f"{tmp_path / 'test_flow.yaml'}: states.closed.waits_for: a final state waits for nothing" in problems_of(
        tmp_path, definition
    )


def test_a_code_used_twice_is_refused_with_its_line(tmp_path):
    text = (DEFINITIONS_DIR / "simple_approval.yaml").read_text(encoding="utf-8")
    text = text.replace("name: simple_approval", "name: test_flow")
    text = text.replace("  close:\n    from:", "  approve:\n    from:")  # a second transition named approve
    path = tmp_path / "test_flow.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  approve:", text.splitlines().index("  approve:") + 1) + 1
    with pytest.raises(WorkflowInvalid) as invalid:
        workflow_load(path)
    assert [str(p) for p in invalid.value.problems] == [
        f"{path}: line {line}, column 3: invalid YAML: 'approve' is defined twice (each code must be unique)"
    ]


def test_a_state_and_a_transition_may_not_share_a_code(tmp_path, definition):
    definition["transitions"]["approved"] = definition["transitions"].pop("approve")
    assert problems_of(tmp_path, definition) == [
        f"{tmp_path / 'test_flow.yaml'}: transitions.approved: 'approved' is already the code of a state; use a "
        "different code"
    ]


def test_broken_yaml_and_a_file_that_is_not_a_mapping_are_reported(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(WorkflowInvalid) as invalid:
        workflow_load(broken)
    assert str(invalid.value).startswith(f"{broken}: line 2, column 1: invalid YAML: ")
    listed = tmp_path / "listed.yaml"
    listed.write_text("- received\n- closed\n", encoding="utf-8")
    with pytest.raises(WorkflowInvalid) as invalid:
        workflow_load(listed)
    assert str(invalid.value) == f"{listed}: (file): expected a mapping with name, title, initial, states, transitions"
