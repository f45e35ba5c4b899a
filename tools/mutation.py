"""Mutation check of the rule checks, the capacity model and the defer advice.

Runs mutmut (configured in pyproject.toml, [tool.mutmut]) with its decision
mutations only: numbers, comparison and arithmetic operators, and/or, not,
True/False/None, conditional expressions and augmented assignments. String
mutations are left out on purpose: a finding's wording is pinned by the rule
texts, not by its logic, and thousands of "XXtextXX" survivors would hide the
few that matter (a `<=` that became `<`).

    .venv/bin/pip install -e '.[mutation]'
    .venv/bin/python tools/mutation.py run        # mutate and test (minutes)
    .venv/bin/python tools/mutation.py results    # list the survivors
    .venv/bin/python tools/mutation.py show NAME  # the diff of one survivor

mutmut copies the project into ./mutants/ (ignored by git) and never edits the
source tree.
"""

from __future__ import annotations

import sys

from mutmut.__main__ import cli
from mutmut.mutation import file_mutation
from mutmut.mutation import mutators as m

DECISIONS = {
    m.operator_number,
    m.operator_swap_op,
    m.operator_keywords,
    m.operator_name,
    m.operator_remove_unary_ops,
    m.operator_if_exp,
    m.operator_augmented_assignment,
}


def main() -> None:
    kept = [(node, op) for node, op in file_mutation.mutation_operators if op in DECISIONS]
    file_mutation.mutation_operators[:] = kept
    sys.exit(cli())


if __name__ == "__main__":
    main()
