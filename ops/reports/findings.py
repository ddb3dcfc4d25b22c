"""Plain-language findings computed from the data, for the executive summary and monthly report.

A C-level reader wants three sentences, not a table: "Manila missed voice SL on 6 of 30 nights, all
between 02:00 and 04:00". Each finding carries the sentence in English and Korean and the numbers
behind it (``evidence``), so a page can show where the sentence comes from. Findings are ranked by
the size of their effect and are deterministic for the same data.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Finding(BaseModel):
    """One plain-language finding with the numbers behind it.

    ``effect`` is a unitless size used only to rank findings (larger = more important); ``kind``
    names the detector that produced it; ``center_id`` is the center it is about (None = all).
    """

    kind: str
    text_en: str
    text_ko: str
    effect: float = Field(ge=0.0)
    center_id: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
