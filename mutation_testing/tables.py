"""Hand-made mutants of the module-level rule tables, which mutmut never mutates (it mutates function bodies).

Each mutant changes one entry of one table the way a careless edit would: a status added to or dropped
from a transition's sources, another target, the other role check, a reason no longer required, a button
turned into a sweep-only step, a status added to or dropped from "editable", a role added to or dropped
from a membership. The suite must notice each one.

    python mutation_testing/tables.py [--list] [--jobs N] [NAME ...]

runs the tests of each table under each of its mutants (one pytest process per mutant, on SQLite unless
DATABASE_URL says otherwise) and prints the killed and surviving mutants with a score per table.
`mutation_testing/table_plugin.py` applies the mutant named in $TABLE_MUTANT when pytest starts.
"""

import argparse
import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 90.0


@dataclasses.dataclass(frozen=True)
class Table:
    name: str
    tests: tuple[str, ...]  # the test files that should notice a change of this table
    mutants: Callable[[], Iterator[tuple[str, Callable[[], None]]]]  # (mutant name, apply)


def _replace(table: dict, key: str, **changes) -> Callable[[], None]:
    def apply():
        table[key] = dataclasses.replace(table[key], **changes)

    return apply


def _transition_mutants(table: dict, statuses: list[str], role_checks: dict[str, Callable] | None):
    for name, t in table.items():
        for source in t.sources:
            fewer = tuple(s for s in t.sources if s != source)
            yield f"{name}: not from {source}", _replace(table, name, sources=fewer)
        for status in statuses:
            if status not in t.sources:
                yield f"{name}: also from {status}", _replace(table, name, sources=(*t.sources, status))
            if status != t.target:
                yield f"{name}: leads to {status}", _replace(table, name, target=status)
        if role_checks is not None:
            for check_name, check in role_checks.items():
                if check is not t.allowed:
                    yield f"{name}: allowed by {check_name}", _replace(table, name, allowed=check)
            yield f"{name}: needs_reason={not t.needs_reason}", _replace(table, name, needs_reason=not t.needs_reason)
        else:
            yield f"{name}: by_hand={not t.by_hand}", _replace(table, name, by_hand=not t.by_hand)

        def remove(name=name):
            del table[name]

        yield f"{name}: removed", remove


def incident_transitions():
    from incidents import workflow
    from incidents.models import Status

    checks = {"on_team": workflow.on_team, "in_command": workflow.in_command, "anyone": lambda roles: True}
    yield from _transition_mutants(workflow.TRANSITIONS, list(Status.values), checks)


def _tuple_mutants(module, attribute: str, statuses: list[str]):
    current = getattr(module, attribute)
    for status in statuses:
        if status in current:
            changed = tuple(s for s in current if s != status)
            label = f"{attribute} without {status}"
        else:
            changed = (*current, status)
            label = f"{attribute} with {status}"
        yield label, lambda changed=changed: setattr(module, attribute, changed)


def campaign_transitions():
    from campaigns import workflow
    from campaigns.models import Campaign

    statuses = list(Campaign.Status.values)
    yield from _transition_mutants(workflow.TRANSITIONS, statuses, None)
    yield from _tuple_mutants(workflow, "EDITABLE", statuses)
    yield from _tuple_mutants(workflow, "OPEN", statuses)


def membership_roles():
    from team import roles

    table = roles._MEMBERSHIP_ROLES
    for membership, held in table.items():
        for role in roles.Role:
            if role == roles.Role.STAFF and role not in held:
                continue  # equivalent by construction: roles_of() gives every live account the staff role
            changed = held - {role} if role in held else held | {role}
            verb = "without" if role in held else "with"

            def apply(membership=membership, changed=changed):
                table[membership] = changed

            yield f"{membership} {verb} {role.value}", apply


TABLES = {
    t.name: t
    for t in (
        Table(
            "incidents.workflow.TRANSITIONS",
            (
                "tests/test_incident_workflow.py",
                "tests/test_incident_pages.py",
                "tests/test_incident_sla.py",
                "tests/test_pins_incident_workflow.py",
            ),
            incident_transitions,
        ),
        Table(
            "campaigns.workflow tables",
            (
                "tests/test_campaign_workflow.py",
                "tests/test_campaigns.py",
                "tests/test_campaign_pages.py",
                "tests/test_pins_campaigns.py",
            ),
            campaign_transitions,
        ),
        Table(
            "team.roles._MEMBERSHIP_ROLES",
            ("tests/test_roles_and_access.py", "tests/test_url_matrix.py", "tests/test_pins_access.py"),
            membership_roles,
        ),
    )
}


def all_mutants() -> dict[str, tuple[Table, Callable[[], None]]]:
    return {f"{table.name} | {label}": (table, apply) for table in TABLES.values() for label, apply in table.mutants()}


def apply(mutant_name: str) -> None:
    """Called by the pytest plugin in the test process, once Django is set up."""
    mutants = all_mutants()
    if mutant_name not in mutants:
        raise SystemExit(f"unknown table mutant {mutant_name!r}; see `python mutation_testing/tables.py --list`")
    mutants[mutant_name][1]()


def _run(mutant_name: str, table: Table) -> tuple[str, bool, float]:
    tests = [path for path in table.tests if (ROOT / path).exists()]
    started = time.monotonic()
    completed = subprocess.run(  # noqa: S603 - our own interpreter and test files
        [sys.executable, "-m", "pytest", "-x", "-q", "--reuse-db", "-p", "no:cacheprovider"]
        + ["-p", "mutation_testing.table_plugin", "-m", "not browser and not worker", *tests],
        cwd=ROOT,
        env={**os.environ, "TABLE_MUTANT": mutant_name},
        capture_output=True,
        text=True,
    )
    if completed.returncode not in (0, 1):
        raise SystemExit(f"pytest could not run under {mutant_name!r}:\n{completed.stdout[-3000:]}{completed.stderr}")
    return mutant_name, completed.returncode == 1, time.monotonic() - started


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only the mutants whose name contains one of these")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()

    mutants = {
        name: table
        for name, (table, _) in all_mutants().items()
        if not options.names or any(part in name for part in options.names)
    }
    if options.list:
        print("\n".join(mutants))
        return 0
    survived: dict[str, list[str]] = {}
    killed: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=options.jobs) as pool:
        for name, was_killed, seconds in pool.map(lambda item: _run(*item), mutants.items()):
            table = mutants[name].name
            print(f"{'killed  ' if was_killed else 'SURVIVED'} {seconds:5.1f} s  {name}", flush=True)
            if was_killed:
                killed[table] = killed.get(table, 0) + 1
            else:
                survived.setdefault(table, []).append(name)
    print()
    explained = (ROOT / "mutation_testing" / "survivors.md").read_text()
    below_goal, unexplained = [], []
    for table in dict.fromkeys(t.name for t in mutants.values()):
        dead, alive = killed.get(table, 0), len(survived.get(table, []))
        score = 100 * dead / (dead + alive)
        print(f"{table}: {dead}/{dead + alive} killed ({score:.1f} %)")
        below_goal += [table] if score < GOAL else []
        unexplained += [name for name in survived.get(table, []) if f"`{name}`" not in explained]
    if unexplained:
        print("\nSurvivors not explained in mutation_testing/survivors.md:")
        print("\n".join(f"  `{name}`" for name in unexplained))
    return 1 if below_goal or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
