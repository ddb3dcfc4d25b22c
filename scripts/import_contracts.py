"""An import-linter contract type: no import cycle between modules (``acyclic_modules``).

import-linter's own ``acyclic_siblings`` squashes each package into one node, so it reports
package-level cycles (``ops.sla`` and ``ops.qa`` use each other's single definitions on purpose)
and cannot say which *modules* import each other. This contract works on modules: every import
grimp sees counts, top-level, function-level and ``TYPE_CHECKING`` alike, because a lazy import
still ties the two modules together. A broken contract lists each cycle with the import lines.

Configured in ``pyproject.toml`` (``[tool.importlinter]``); run with ``lint-imports``, which puts
the working directory on ``sys.path`` so ``scripts.import_contracts`` is importable.
"""

from __future__ import annotations

from collections import deque

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils

# one hop of a cycle: importer, imported, and "l.<line>: <import statement>" of each import
Hop = tuple[str, str, list[str]]


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def shortest_cycle(start: str, edges: dict[str, set[str]], within: set[str]) -> list[str]:
    """Modules of a shortest cycle through ``start`` inside ``within``: [start, ..., start]."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(edges[node] & within):
            if child == start:
                path = [node]  # walk back from the last module before start
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return [start]


class AcyclicModulesContract(Contract):
    """No module of ``containers`` (packages and all their descendants) is part of an import cycle.

    Configuration: ``containers`` (the packages to check), ``broken_contract_guidance`` (optional
    text shown under a broken contract).
    """

    type_name = "acyclic_modules"

    containers = fields.ListField(subfield=fields.StringField())
    broken_contract_guidance = fields.TextField(required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        modules: set[str] = set()
        for container in self.containers:  # type: ignore[attr-defined]
            if container not in graph.modules:
                raise ValueError(f"acyclic_modules: {container!r} is not in the import graph")
            modules |= {container} | graph.find_descendants(container)
        edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
        cycles: list[list[Hop]] = []
        for component in strongly_connected(edges):
            path = shortest_cycle(component[0], edges, set(component))
            hops = []
            for importer, imported in zip(path, path[1:], strict=False):
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = [f"l.{d['line_number']}: {d['line_contents']}" for d in details]
                hops.append((importer, imported, lines))
            output.verbose_print(verbose, f"Cycle through {len(component)} modules: {component}")
            cycles.append(hops)
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for hops in check.metadata["cycles"]:
            names = " -> ".join([hops[0][0], *(imported for _, imported, _ in hops)])
            output.print_error(f"Import cycle: {names}")
            for importer, imported, lines in hops:
                output.print_error(f"- {importer} -> {imported}", bold=False)
                for line in lines:
                    output.print_error(f"    {line}", bold=False)
            output.new_line()
        contract_utils.render_broken_contract_guidance(self.broken_contract_guidance)  # type: ignore[arg-type]
