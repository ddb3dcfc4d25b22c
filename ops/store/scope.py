"""Who may see what: a user's scope is the set of centers whose rows they can read.

Admins, managers and executives see every center (``Scope.all()``); a vendor user's scope is their
own center. The store applies the scope to every table it hands out, so a page that forgets to
filter still cannot show another center's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ops.errors import ScopeError


@dataclass(frozen=True)
class Scope:
    """``center_ids`` None means every center."""

    center_ids: frozenset[str] | None = None
    label: str = "all centers"

    @classmethod
    def all(cls) -> Scope:
        return cls(None, "all centers")

    @classmethod
    def centers(cls, *center_ids: str) -> Scope:
        if not center_ids:
            raise ScopeError("A scoped user needs at least one center.")
        return cls(frozenset(center_ids), ", ".join(sorted(center_ids)))

    @property
    def is_all(self) -> bool:
        return self.center_ids is None

    def allows(self, center_id: str | None) -> bool:
        return self.center_ids is None or center_id in self.center_ids

    def check(self, center_id: str | None) -> None:
        """Raise :class:`ScopeError` when ``center_id`` is outside the scope."""
        if not self.allows(center_id):
            raise ScopeError(f"Center {center_id!r} is outside your access ({self.label}).")

    def restrict(self, requested: list[str] | None) -> list[str] | None:
        """Intersect a requested center filter with the scope (None = no filter asked)."""
        if self.center_ids is None:
            return requested
        if requested is None:
            return sorted(self.center_ids)
        return [c for c in requested if c in self.center_ids]
