"""QA scorecard forms: YAML files validated by pydantic, versioned, stored as JSON in ``qa_forms``.

A form is the contract between evaluators and the scores: which items exist, on which scale, with
which weight, whether N/A is allowed and whether failing the item zeroes the whole evaluation. The
scoring code (:mod:`ops.qa.scoring`) reads the form as a small frame of items
(:func:`form_items_frame`), so every score in ccops comes from the same definition.

Item scores on 0-100 (the header of ``data/qa_forms/standard_v1.yaml``):

* ``yes_no``: raw 0 or 1 -> 0 or 100; failed = 0.
* ``"1-5"``: raw 1..5 -> (raw - 1) / 4 * 100; failed = 1.
* ``points``: raw 0..max_points -> raw / max_points * 100; failed = 0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from ops.errors import ConfigError

Scale = Literal["yes_no", "1-5", "points"]

#: Folder of the bundled forms (the demo form lives here).
FORMS_DIR = Path(__file__).resolve().parents[2] / "data" / "qa_forms"

#: Columns of :func:`form_items_frame`.
FORM_ITEM_COLUMNS = [
    "form_id",
    "form_version",
    "section_id",
    "item_id",
    "item_name",
    "item_name_ko",
    "scale",
    "weight",
    "max_points",
    "na_allowed",
    "critical",
]


class QaItem(BaseModel):
    """One scored item of a form."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    name: str
    name_ko: str | None = None
    scale: Scale
    weight: float = Field(
        gt=0, description="Relative weight; the form's weights need not sum to 100"
    )
    max_points: float | None = Field(default=None, gt=0, description="Only for scale 'points'")
    na_allowed: bool = False
    critical: bool = False
    description: str | None = None

    @field_validator("scale", mode="before")
    @classmethod
    def _scale_as_text(cls, v: Any) -> Any:
        # YAML reads an unquoted 1-5 as a string already, but guard against numbers and spaces.
        return str(v).strip() if v is not None else v

    @model_validator(mode="after")
    def _points_need_max(self) -> QaItem:
        if self.scale == "points" and self.max_points is None:
            raise ValueError(f"item {self.id!r}: scale 'points' needs max_points")
        if self.scale != "points" and self.max_points is not None:
            raise ValueError(f"item {self.id!r}: max_points is only used with scale 'points'")
        return self

    @property
    def raw_min(self) -> float:
        return 1.0 if self.scale == "1-5" else 0.0

    @property
    def raw_max(self) -> float:
        if self.scale == "yes_no":
            return 1.0
        if self.scale == "1-5":
            return 5.0
        return float(self.max_points or 0.0)


class QaSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    name: str
    name_ko: str | None = None
    items: list[QaItem] = Field(min_length=1)


class QaForm(BaseModel):
    """A versioned scorecard. ``target`` is the pass mark on the 0-100 evaluation score."""

    model_config = ConfigDict(extra="forbid")

    form_id: str = Field(min_length=1)
    version: int = Field(ge=1)
    name: str
    name_ko: str | None = None
    target: float = Field(default=85.0, ge=0, le=100)
    sections: list[QaSection] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> QaForm:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"item id {item.id!r} appears more than once")
            seen.add(item.id)
        sec = [s.id for s in self.sections]
        if len(sec) != len(set(sec)):
            raise ValueError("section ids must be unique")
        return self

    @property
    def items(self) -> list[QaItem]:
        return [i for s in self.sections for i in s.items]

    @property
    def key(self) -> tuple[str, int]:
        return (self.form_id, self.version)

    def item(self, item_id: str) -> QaItem:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    def to_json(self) -> str:
        """The form as the JSON stored in ``qa_forms.definition_json``."""
        return json.dumps(self.model_dump(mode="json", exclude_none=True), ensure_ascii=False)


def _format_errors(e: PydanticValidationError) -> str:
    parts = []
    for err in e.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(form)"
        parts.append(f"field {loc}: {err['msg']}")
    return "; ".join(parts)


def parse_form(data: Any, source: str = "<form>") -> QaForm:
    """Validate a parsed YAML/JSON mapping as a form; errors name ``source`` and the field."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a QA form must be a mapping, got {type(data).__name__}")
    try:
        return QaForm.model_validate(data)
    except PydanticValidationError as e:
        raise ConfigError(f"{source}: invalid QA form: {_format_errors(e)}") from e


def load_form(path: str | Path) -> QaForm:
    """Read and validate one form YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{p}: cannot read QA form ({e.strerror})") from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {e}") from e
    return parse_form(data, str(p))


def load_forms_dir(folder: str | Path = FORMS_DIR) -> dict[tuple[str, int], QaForm]:
    """Every ``*.yaml``/``*.yml`` form in ``folder`` keyed by (form_id, version)."""
    forms: dict[tuple[str, int], QaForm] = {}
    for p in sorted(Path(folder).glob("*.y*ml")):
        f = load_form(p)
        if f.key in forms:
            raise ConfigError(f"{p}: form {f.form_id!r} version {f.version} is defined twice")
        forms[f.key] = f
    return forms


_BUNDLED: dict[tuple[tuple[str, int, int], ...], dict[tuple[str, int], QaForm]] = {}


def _bundled_forms() -> dict[tuple[str, int], QaForm]:
    """The bundled forms, parsed again only when a file in ``FORMS_DIR`` changes (name, mtime, size)."""
    if not FORMS_DIR.exists():
        return {}
    files = sorted(FORMS_DIR.glob("*.y*ml"))
    sig = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if sig not in _BUNDLED:
        _BUNDLED.clear()
        _BUNDLED[sig] = load_forms_dir(FORMS_DIR)
    return dict(_BUNDLED[sig])


def forms_from_store(reader: Any) -> dict[tuple[str, int], QaForm]:
    """Forms stored in ``qa_forms`` plus the bundled ones not stored (the store wins on a clash)."""
    forms = _bundled_forms()
    df = reader.execute(reader.table("qa_forms").select("form_id", "version", "definition_json"))
    for row in df.itertuples(index=False):
        source = f"qa_forms[{row.form_id} v{row.version}]"
        try:
            data = json.loads(row.definition_json)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{source}: definition_json is not valid JSON ({e})") from e
        f = parse_form(data, source)
        forms[(str(row.form_id), int(row.version))] = f
    return forms


def form_items_frame(forms: dict[tuple[str, int], QaForm] | list[QaForm] | QaForm) -> pd.DataFrame:
    """One row per (form, version, item) with its scale, weight and flags (``FORM_ITEM_COLUMNS``)."""
    if isinstance(forms, QaForm):
        seq = [forms]
    elif isinstance(forms, dict):
        seq = list(forms.values())
    else:
        seq = list(forms)
    rows = []
    for f in seq:
        for s in f.sections:
            for i in s.items:
                rows.append(
                    {
                        "form_id": f.form_id,
                        "form_version": f.version,
                        "section_id": s.id,
                        "item_id": i.id,
                        "item_name": i.name,
                        "item_name_ko": i.name_ko,
                        "scale": i.scale,
                        "weight": float(i.weight),
                        "max_points": float(i.max_points) if i.max_points is not None else None,
                        "na_allowed": i.na_allowed,
                        "critical": i.critical,
                    }
                )
    out = pd.DataFrame(rows, columns=FORM_ITEM_COLUMNS)
    out["form_version"] = out["form_version"].astype("int64")
    out["max_points"] = out["max_points"].astype("float64")
    return out
