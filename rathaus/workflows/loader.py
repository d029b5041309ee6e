"""Reading and validating workflow definitions (rathaus/workflows/definitions/*.yaml).

`workflow_load` parses one file and raises WorkflowInvalid listing every problem, each naming the file, the
path inside it and what is wrong. `workflow_get` returns a shipped workflow by name, loaded once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .engine import ACTIONS, Action, Condition, State, Transition, Workflow
from .schema import WORKFLOW

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_VALIDATOR = Draft202012Validator(WORKFLOW)


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(file)'}: {self.message}"


class WorkflowInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class WorkflowNotFound(LookupError):
    pass


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a mapping key given twice (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | bool | float) and key in seen:
                raise _DuplicateKey(
                    problem=f"{key!r} is defined twice (each code must be unique)", problem_mark=key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
    except OSError as error:
        raise WorkflowInvalid([Problem(str(path), "", f"cannot be read ({error.strerror})")]) from error
    except UnicodeDecodeError as error:
        raise WorkflowInvalid([Problem(str(path), "", f"not UTF-8 text ({error.reason})")]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise WorkflowInvalid([Problem(str(path), where, f"invalid YAML: {problem}")]) from error


def _format_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _schema_problems(data: Any) -> Iterator[tuple[str, str]]:
    for error in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        # For "one of several shapes" errors, the closest shape says more than the summary.
        detail: ValidationError = best_match(error.context) if error.context else error
        yield _format_path(detail.absolute_path), detail.message


def workflow_load(path: Path) -> Workflow:
    """Parse and validate one workflow file. Raises WorkflowInvalid listing every problem found."""
    file = str(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise WorkflowInvalid([Problem(file, "", "expected a mapping with name, title, initial, states, transitions")])
    problems = [Problem(file, where, message) for where, message in _schema_problems(data)]
    if not problems:
        problems = [Problem(file, where, message) for where, message in _semantic_problems(data, path.stem)]
    if problems:
        raise WorkflowInvalid(problems)
    return _build(data, file)


def _semantic_problems(data: dict[str, Any], stem: str) -> Iterator[tuple[str, str]]:
    """What the schema cannot express: references, reachability, actions and what they need."""
    states: dict[str, Any] = data["states"]
    transitions: dict[str, Any] = data["transitions"]
    if data["name"] != stem:
        yield "name", f"{data['name']!r} must be the file name without .yaml ({stem!r})"
    if data["initial"] not in states:
        yield "initial", f"unknown state {data['initial']!r}; states: {', '.join(states)}"
    for code in set(states) & set(transitions):
        yield f"transitions.{code}", f"{code!r} is already the code of a state; use a different code"

    incoming: dict[str, list[tuple[str, Any]]] = {code: [] for code in states}
    for code, transition in transitions.items():
        where = f"transitions.{code}"
        for index, source in enumerate(transition["from"]):
            if source not in states:
                yield f"{where}.from[{index}]", f"unknown state {source!r}; states: {', '.join(states)}"
            elif states[source]["final"]:
                yield f"{where}.from[{index}]", f"{source!r} is a final state; nothing may leave it"
        if transition["to"] not in states:
            yield f"{where}.to", f"unknown state {transition['to']!r}; states: {', '.join(states)}"
        else:
            incoming[transition["to"]].append((code, transition))
        for index, action in enumerate(transition.get("on_taken", [])):
            yield from _action_problems(f"{where}.on_taken[{index}]", action, [(code, transition)])

    for code, state in states.items():
        where = f"states.{code}"
        if state["final"] and state.get("waits_for"):
            yield f"{where}.waits_for", "a final state waits for nothing"
        for index, action in enumerate(state.get("on_entry", [])):
            yield from _action_problems(f"{where}.on_entry[{index}]", action, incoming[code])
        waits_for = state.get("waits_for")
        if waits_for:
            # Whoever the state waits for must be able to move the case on, or it waits forever.
            takers = {"citizen": {"citizen", "system"}, "payment": {"system"}}[waits_for]
            leaving = [t for t in transitions.values() if code in t["from"]]
            if not any(takers & set(t["roles"]) for t in leaving):
                yield (
                    f"{where}.waits_for",
                    f"waits for {waits_for}, but no transition from {code!r} may be taken by "
                    f"{' or '.join(sorted(takers))}",
                )

    if data["initial"] not in states or any(
        t["to"] not in states or not set(t["from"]) <= set(states) for t in transitions.values()
    ):
        return  # reachability only makes sense once every reference resolves
    yield from _reachability_problems(data["initial"], states, transitions)


def _action_problems(
    where: str, action: dict[str, Any], leading_here: list[tuple[str, Any]]
) -> Iterator[tuple[str, str]]:
    name = action["action"]
    spec = ACTIONS.get(name)
    if spec is None:
        yield f"{where}.action", f"unknown action {name!r}; known: {', '.join(sorted(ACTIONS))}"
        return
    params = set(action) - {"action"}
    for missing in sorted(spec.required - params):
        yield where, f"action {name!r} needs the parameter {missing!r}"
    for extra in sorted(params - spec.required - spec.optional):
        yield f"{where}.{extra}", f"action {name!r} has no parameter {extra!r}"
    if "template" in action and not (isinstance(action["template"], str) and NAME_PATTERN.match(action["template"])):
        yield f"{where}.template", "must be a template code (a-z, 0-9 and '_')"
    if "days" in action and (
        not isinstance(action["days"], int) or isinstance(action["days"], bool) or not 1 <= action["days"] <= 365
    ):
        yield f"{where}.days", "must be a whole number of days from 1 to 365"
    if spec.needs:
        for code, transition in leading_here:
            if spec.needs not in transition.get("requires", []):
                yield (
                    where,
                    f"action {name!r} needs {spec.needs!r}; add it to transitions.{code}.requires",
                )


def _reachability_problems(
    initial: str, states: dict[str, Any], transitions: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    edges: dict[str, set[str]] = {code: set() for code in states}
    for transition in transitions.values():
        for source in transition["from"]:
            edges[source].add(transition["to"])
    reachable = _closure({initial}, edges)
    for code in states:
        if code not in reachable:
            yield f"states.{code}", f"unreachable: no transitions lead to it from the initial state {initial!r}"
    finals = {code for code, state in states.items() if state["final"]}
    if not finals & reachable:
        yield "states", f"no path from the initial state {initial!r} to a final state"
        return
    reverse: dict[str, set[str]] = {code: set() for code in states}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].add(source)
    can_finish = _closure(finals, reverse)
    for code in states:
        if code in reachable and code not in can_finish:
            yield f"states.{code}", "a case in this state can never reach a final state"


def _closure(start: set[str], edges: Mapping[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for following in edges[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def _actions(items: list[dict[str, Any]]) -> tuple[Action, ...]:
    return tuple(Action(name=item["action"], params={k: v for k, v in item.items() if k != "action"}) for item in items)


def _build(data: dict[str, Any], source: str) -> Workflow:
    states = {
        code: State(
            code=code,
            title=state["title"],
            final=state["final"],
            citizen_status_text=state["citizen_status"],
            waits_for=state.get("waits_for"),
            on_entry=_actions(state.get("on_entry", [])),
        )
        for code, state in data["states"].items()
    }
    transitions = {
        code: Transition(
            code=code,
            sources=tuple(transition["from"]),
            target=transition["to"],
            title=transition["title"],
            roles=frozenset(transition["roles"]),
            decision=transition.get("decision", False),
            conditions=tuple(
                Condition(when=guard["when"], message=guard["message"]) for guard in transition.get("conditions", [])
            ),
            requires=tuple(transition.get("requires", [])),
            on_taken=_actions(transition.get("on_taken", [])),
        )
        for code, transition in data["transitions"].items()
    }
    return Workflow(
        name=data["name"],
        title=data["title"],
        initial=data["initial"],
        states=states,
        transitions=transitions,
        source=source,
    )


def workflow_names() -> list[str]:
    """The names of the shipped workflows."""
    return sorted(path.stem for path in DEFINITIONS_DIR.glob("*.yaml"))


@functools.cache
def workflow_get(name: str) -> Workflow:
    """A shipped workflow by name, loaded and validated once. Raises WorkflowNotFound for an unknown name."""
    if not NAME_PATTERN.match(name) or not (DEFINITIONS_DIR / f"{name}.yaml").is_file():
        raise WorkflowNotFound(f"no workflow named {name!r}; known: {', '.join(workflow_names())}")
    return workflow_load(DEFINITIONS_DIR / f"{name}.yaml")
