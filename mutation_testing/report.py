"""The score of each mutated module after `mutmut run`, and the survivors nobody has explained.

Reads mutmut's result files (mutants/<module>.py.meta). A mutant counts as killed when a test failed
(or timed out: an endless loop is noticed too); a mutant no test reached, or not run yet, counts as surviving.
Every survivor must be listed, with why it is harmless, in mutation_testing/survivors.md; the
report names the ones that are not, and exits non-zero when a module is under GOAL.
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 90.0
KILLED = {1, 3, 24, -24, 36, 152, 255}  # failed, internal error, timeouts
EXPLAINED = re.compile(r"`([\w.]+__mutmut_\d+)`")


def results() -> dict[str, dict[str, int | None]]:
    by_module = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants"))[: -len(".meta")]
        by_module[module] = json.loads(meta.read_text())["exit_code_by_key"]
    return by_module


def main() -> int:
    by_module = results()
    if not by_module:
        print("No mutmut results under mutants/: run `make mutate` first.")
        return 2
    explained = set(EXPLAINED.findall((ROOT / "mutation_testing" / "survivors.md").read_text()))
    below_goal, unexplained = [], []
    unchecked = 0
    print(f"{'module':40} {'mutants':>8} {'killed':>7} {'score':>7}  survivors (explained)")
    for module, codes in by_module.items():
        unchecked += sum(code is None for code in codes.values())
        statuses = Counter("killed" if code in KILLED else "survived" for code in codes.values())
        total, killed = len(codes), statuses["killed"]
        score = 100 * killed / total if total else 100.0
        survivors = sorted(name for name, code in codes.items() if code not in KILLED)
        known = [name for name in survivors if name in explained]
        unexplained += [name for name in survivors if name not in explained]
        print(f"{module:40} {total:8} {killed:7} {score:6.1f}%  {len(survivors)} ({len(known)})")
        if score < GOAL:
            below_goal.append(module)
    if unchecked:
        print(f"\n{unchecked} mutants were not run yet (counted as surviving): the mutmut run is unfinished.")
    if unexplained:
        print("\nSurvivors not explained in mutation_testing/survivors.md (`mutmut show NAME` shows each):")
        print("\n".join(f"  {name}" for name in unexplained))
    if below_goal:
        print(f"\nUnder the {GOAL:.0f} % goal: {', '.join(below_goal)}")
    return 1 if below_goal or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
