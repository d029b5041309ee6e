"""Workflows: declarative state machines that a case moves through.

A workflow knows its states and transitions, who may take a transition, under which conditions and with
which inputs, and which actions belong to it. It executes nothing: the case module asks it what is possible
(`available_transitions`), has it check a step (`check_transition`, which raises `TransitionRefused` with a
translated reason and a machine-readable code), and then runs the actions it names (`actions_for`).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from rathaus.applications.formengine import condition_holds
from rathaus.core.i18n import localized

from .schema import ROLES


@dataclass(frozen=True)
class ActionSpec:
    """An action the case module knows how to run: its parameters and the transition input it needs."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    needs: str | None = None  # a requirement (see schema.REQUIREMENTS) every transition leading to it must have


ACTIONS: dict[str, ActionSpec] = {
    # a message about the new status in the citizen's postbox (with an e-mail notice); `template` picks the text
    "notify_citizen": ActionSpec(optional=frozenset({"template"})),
    # a decision letter (Bescheid) as PDF into the case file and the postbox; `template`: approval, rejection, ...
    "issue_decision_letter": ActionSpec(required=frozenset({"template"})),
    # a payment request for the fees of the service definition
    "request_payment": ActionSpec(),
    # the caseworker's question into the citizen's postbox; the answer comes back as `information_received`
    "send_request_for_information": ActionSpec(needs="question"),
    # hand the case to the department the caseworker chose
    "assign_to_department": ActionSpec(needs="department"),
    # a deadline `days` calendar days from now (e.g. for an answer); automation rules act on it
    "set_deadline": ActionSpec(required=frozenset({"days"})),
}


@dataclass(frozen=True)
class Action:
    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class State:
    code: str
    title: Mapping[str, str]
    final: bool
    citizen_status_text: Mapping[str, str]
    waits_for: str | None = None
    on_entry: tuple[Action, ...] = ()

    @property
    def label(self) -> str:
        return localized(dict(self.title))


@dataclass(frozen=True)
class Condition:
    when: Mapping[str, Any]
    message: Mapping[str, str]

    def holds(self, context: Mapping[str, Any]) -> bool:
        return condition_holds(self.when, context)


@dataclass(frozen=True)
class Transition:
    code: str
    sources: tuple[str, ...]  # `from` in the YAML
    target: str  # `to` in the YAML
    title: Mapping[str, str]
    roles: frozenset[str]
    decision: bool = False
    conditions: tuple[Condition, ...] = ()
    requires: tuple[str, ...] = ()
    on_taken: tuple[Action, ...] = ()

    @property
    def label(self) -> str:
        """The button label in the active language."""
        return localized(dict(self.title))


class TransitionRefused(Exception):
    """A transition that may not be taken now; `message` is translated, `code` is for machines."""

    NOT_FROM_THIS_STATE = "not_from_this_state"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    CONDITION_NOT_MET = "condition_not_met"
    MISSING_REQUIREMENT = "missing_requirement"
    UNKNOWN_TRANSITION = "unknown_transition"

    def __init__(self, *, code: str, message: str, transition: str, state: str, requirement: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.transition = transition
        self.state = state
        self.requirement = requirement  # for missing_requirement: which input is missing (e.g. "reason_text")


class UnknownState(LookupError):
    """A state code the workflow does not have (a programming or data error, not a user error)."""


def _role_name(role: str) -> str:
    names = {
        "caseworker": _("the caseworker"),
        "team_lead": _("the team lead"),
        "department_admin": _("the head of department"),
        "municipality_admin": _("the municipality's administrator"),
        "system": _("the system"),
        "citizen": _("the applicant"),
    }
    return names.get(role, role)


def roles_text(roles: Set[str]) -> str:
    """'the team lead or the head of department', in the order of schema.ROLES."""
    names = [_role_name(role) for role in ROLES if role in roles]
    if len(names) == 1:
        return names[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def requirement_message(requirement: str) -> str:
    messages = {
        "reason_text": _("Please give a reason."),
        "decision_letter": _("Please write the text of the decision letter."),
        "department": _("Please choose the department the case goes to."),
        "question": _("Please write your question to the applicant."),
    }
    return messages.get(requirement, _("Please fill in all required information."))


def _supplied(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != [] and value != {}


@dataclass(frozen=True)
class Workflow:
    name: str
    title: Mapping[str, str]
    initial: str
    states: Mapping[str, State]
    transitions: Mapping[str, Transition]
    source: str = ""

    @property
    def label(self) -> str:
        return localized(dict(self.title))

    def state(self, code: str) -> State:
        try:
            return self.states[code]
        except KeyError:
            raise UnknownState(f"workflow {self.name!r} has no state {code!r}") from None

    def citizen_status(self, state: str) -> str:
        """What the citizen sees in "Meine Anträge" for a case in `state`, in the active language."""
        return localized(dict(self.state(state).citizen_status_text))

    def available_transitions(self, *, state: str, roles: Set[str], context: Mapping[str, Any]) -> list[Transition]:
        """The transitions someone with `roles` may take from `state` now, in the order of the definition.

        Requirements (a reason, a department) are not checked here: they are what the UI asks for when the
        button is pressed; `check_transition` checks them.
        """
        self.state(state)
        return [
            transition
            for transition in self.transitions.values()
            if state in transition.sources
            and transition.roles & roles
            and all(condition.holds(context) for condition in transition.conditions)
        ]

    def check_transition(
        self, *, state: str, transition: str, roles: Set[str], context: Mapping[str, Any]
    ) -> Transition:
        """The transition if it may be taken now; otherwise raises TransitionRefused saying why.

        Checked in this order: the transition exists, it starts at `state`, one of `roles` may take it, its
        conditions hold for `context`, and every requirement has a non-empty value in `context`.
        """

        def refuse(code: str, message: str, requirement: str = "") -> TransitionRefused:
            return TransitionRefused(
                code=code, message=message, transition=transition, state=state, requirement=requirement
            )

        found = self.transitions.get(transition)
        if found is None:
            raise refuse(
                TransitionRefused.UNKNOWN_TRANSITION,
                _("The action “%(action)s” does not exist in this procedure.") % {"action": transition},
            )
        if state not in found.sources:
            state_label = self.states[state].label if state in self.states else state
            raise refuse(
                TransitionRefused.NOT_FROM_THIS_STATE,
                _("This action is not possible in the state “%(state)s”.") % {"state": state_label},
            )
        if not found.roles & roles:
            template = (
                _("Only %(roles)s may take this decision.") if found.decision else _("Only %(roles)s may do this.")
            )
            raise refuse(TransitionRefused.ROLE_NOT_ALLOWED, template % {"roles": roles_text(found.roles)})
        for condition in found.conditions:
            if not condition.holds(context):
                raise refuse(TransitionRefused.CONDITION_NOT_MET, localized(dict(condition.message)))
        for requirement in found.requires:
            if not _supplied(context.get(requirement)):
                raise refuse(TransitionRefused.MISSING_REQUIREMENT, requirement_message(requirement), requirement)
        return found

    def actions_for(self, transition: str) -> list[Action]:
        """The actions to run when `transition` is taken: its on_taken, then the on_entry of its target state."""
        found = self.transitions[transition]
        return [*found.on_taken, *self.states[found.target].on_entry]
