"""Run mutmut (pinned 3.8.1) so that it also mutates our decorated functions.

mutmut 3 skips every decorated function, for three reasons its source gives: copying a function
for its mutants repeats the decorator (a route registered twice), a decorator's arguments must not
be mutated, and ``@property`` breaks its trampoline. In the modules we mutate, the rules that
protect people sit precisely in decorated functions: ``@rule``/``@scope`` (core.access),
``@transaction.atomic`` services and ``@property`` figures. So, for the decorators listed in
DECORATORS only:

- the function is mutated (its decorators' arguments still are not);
- the trampoline keeps the decorators, so ``@rule`` registers the trampoline once and
  ``@transaction.atomic`` wraps whichever mutant runs;
- the copies (original and mutants) lose them, so nothing registers twice and a property's
  copies stay plain functions that the trampoline calls with ``self``.

Usage (see the Makefile's ``mutate``): ``python mutation_testing/mutmut_decorated.py run``;
the other mutmut commands (``results``, ``show``, ``browse``) pass through unchanged.
"""

import sys

import libcst as cst
from mutmut.__main__ import cli
from mutmut.mutation import file_mutation

DECORATORS = {"rule", "scope", "transaction.atomic", "property"}

_code = cst.Module(body=[]).code_for_node


def _decorator_name(decorator: cst.Decorator) -> str:
    expression = decorator.decorator
    if isinstance(expression, cst.Call):
        expression = expression.func
    return _code(expression)


def _only_ours(node: cst.FunctionDef) -> bool:
    return bool(node.decorators) and all(_decorator_name(d) in DECORATORS for d in node.decorators)


_skip = file_mutation.MutationVisitor._skip_node_and_children


def _skip_node_and_children(self, node) -> bool:
    if not _skip(self, node):
        return False
    if not isinstance(node, cst.FunctionDef) or not _only_ours(node):
        return True
    # mutmut skipped it for its decorators; keep its other reasons (pragmas, names it never mutates).
    position = self.get_metadata(file_mutation.PositionProvider, node, None)
    return bool(
        (position and position.start.line in self._ignored_node_lines)
        or node.name.value in file_mutation.NEVER_MUTATE_FUNCTION_NAMES
        or node in self._enum_creation_hooks
    )


_arrange = file_mutation.function_trampoline_arrangement


def _function_trampoline_arrangement(function, mutants, class_name):
    declarations, methods, assignments, names = _arrange(function, mutants, class_name)
    if _only_ours(function):
        trampoline, *copies = methods
        methods = [trampoline, *(copy.with_changes(decorators=[]) for copy in copies)]
    return declarations, methods, assignments, names


file_mutation.MutationVisitor._skip_node_and_children = _skip_node_and_children
file_mutation.function_trampoline_arrangement = _function_trampoline_arrangement

if __name__ == "__main__":
    sys.exit(cli())
