"""Walk a pydantic model into a tree of field specs: what each field is and how to compare it.

Only declared fields are walked (computed fields such as ``pay.annual_min`` are derived, so they
are not scored). The kind of a scalar decides how two values are compared:

- ``text``: plain ``str``; matched by edit-distance similarity (``matching``).
- ``exact``: ``Literal``, ``Enum``, ``EmailStr``, URL types, ``str`` with a ``pattern`` and ``str``
  fields named ``*url``/``*email``; equal after text normalisation.
- ``number``, ``date``, ``bool``: see ``extractor.evaluation.matching``.

A field can force its kind with ``Field(json_schema_extra={"eval": "text"})`` (or ``"exact"``...).
Anything else (dicts, unions of models, lists of lists) is compared as ``exact`` on its JSON text.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import AnyUrl, BaseModel, EmailStr
from pydantic.fields import FieldInfo
from pydantic_core import Url

from extractor.errors import TaskError

Kind = Literal["text", "exact", "number", "date", "bool"]
KINDS: tuple[Kind, ...] = typing.get_args(Kind)

# Preferred names for the field that identifies an item in a list of models.
KEY_NAMES = ("text", "name", "title", "label", "value")


@dataclass(frozen=True)
class ScalarSpec:
    """One value compared as a whole."""

    path: str
    kind: Kind


@dataclass(frozen=True)
class ModelSpec:
    """A nested model: its fields in schema order."""

    path: str
    fields: tuple[FieldSpec, ...]

    @property
    def key(self) -> ScalarSpec:
        """The field that identifies an item when the model is a list item."""
        scalars = [f for f in self.fields if isinstance(f, ScalarSpec)]
        for name in KEY_NAMES:
            for spec in scalars:
                if spec.path.rsplit(".", 1)[-1] == name:
                    return spec
        texts = [s for s in scalars if s.kind in ("text", "exact")]
        if texts or scalars:
            return (texts or scalars)[0]
        raise ValueError(f"{self.path or 'model'} has no scalar field to match list items on")


@dataclass(frozen=True)
class ListSpec:
    """A list: items are matched one to one, then compared (model items per subfield)."""

    path: str
    item: ScalarSpec | ModelSpec


FieldSpec = ScalarSpec | ModelSpec | ListSpec


def walk_model(model: type[BaseModel], prefix: str = "") -> ModelSpec:
    """Return the spec tree of ``model``; nested names are dotted (``pay.min``)."""
    fields = tuple(
        _field_spec(_join(prefix, name), info) for name, info in model.model_fields.items()
    )
    return ModelSpec(prefix, fields)


def leaf_paths(spec: FieldSpec) -> list[str]:
    """Every scored field name under ``spec``, in schema order."""
    if isinstance(spec, ScalarSpec):
        return [spec.path]
    if isinstance(spec, ListSpec):
        return leaf_paths(spec.item)
    return [path for child in spec.fields for path in leaf_paths(child)]


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _field_spec(path: str, info: FieldInfo) -> FieldSpec:
    forced = (
        info.json_schema_extra.get("eval") if isinstance(info.json_schema_extra, dict) else None
    )
    spec = _type_spec(path, info.annotation)
    if forced in KINDS:
        if isinstance(spec, ListSpec) and isinstance(spec.item, ScalarSpec):
            return ListSpec(path, ScalarSpec(path, forced))
        if isinstance(spec, ScalarSpec):
            return ScalarSpec(path, forced)
    code_like = _has_pattern(info.metadata) or _named_like_code(path)
    if isinstance(spec, ScalarSpec) and spec.kind == "text" and code_like:
        return ScalarSpec(path, "exact")
    return spec


def _type_spec(path: str, annotation: Any) -> FieldSpec:
    annotation = _strip_optional(annotation)
    if isinstance(annotation, str | typing.ForwardRef):
        raise TaskError(
            f"field {path!r} has an unresolved type {annotation!r}: the schema "
            "module must be importable (registered in sys.modules) for pydantic"
        )
    origin = typing.get_origin(annotation)
    if origin in (list, set, frozenset, tuple):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        item = _type_spec(path, args[0]) if args else ScalarSpec(path, "exact")
        code_like = isinstance(item, ScalarSpec) and item.kind == "text" and _named_like_code(path)
        if isinstance(item, ListSpec) or code_like:
            item = ScalarSpec(path, "exact")
        return ListSpec(path, item)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return walk_model(annotation, path)
    return ScalarSpec(path, _scalar_kind(annotation))


def _strip_optional(annotation: Any) -> Any:
    """Drop ``Annotated`` wrappers and ``None`` from unions; keep real unions as they are."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _scalar_kind(annotation: Any) -> Kind:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "exact"
    if origin in (Union, types.UnionType):
        args = typing.get_args(annotation)
        return "number" if all(a in (int, float) for a in args) else "exact"
    if not isinstance(annotation, type):
        return "exact"
    if issubclass(annotation, bool):
        return "bool"
    if issubclass(annotation, (int, float)):
        return "number"
    if issubclass(annotation, (dt.date, dt.time)):
        return "date"
    if (
        issubclass(annotation, enum.Enum)
        or annotation is EmailStr
        or issubclass(annotation, (AnyUrl, Url))
    ):
        return "exact"
    if issubclass(annotation, str):
        return "text"
    return "exact"


def _has_pattern(metadata: list[Any]) -> bool:
    return any(getattr(item, "pattern", None) for item in metadata)


def _named_like_code(path: str) -> bool:
    name = path.rsplit(".", 1)[-1].casefold()
    return name.endswith(("url", "urls", "email", "emails"))
