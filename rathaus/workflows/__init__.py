"""The workflow engine: declarative state machines (YAML) for case processing. See README.md in this folder."""

from .engine import ACTIONS, Action, Condition, State, Transition, TransitionRefused, UnknownState, Workflow
from .loader import Problem, WorkflowInvalid, WorkflowNotFound, workflow_get, workflow_load, workflow_names

__all__ = [
    "ACTIONS",
    "Action",
    "Condition",
    "Problem",
    "State",
    "Transition",
    "TransitionRefused",
    "UnknownState",
    "Workflow",
    "WorkflowInvalid",
    "WorkflowNotFound",
    "workflow_get",
    "workflow_load",
    "workflow_names",
]
