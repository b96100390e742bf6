"""Domain models built from rows this program wrote, without pydantic's validation.

Why: an answer batch at city scale reads ~170 unit rows per transaction on the
database thread (its ~170 order rows are plain records, `TargetState`), and
boards and reports read thousands; each
validation costs ~3 µs on a quiet machine and several times that while the
event loop competes for the interpreter, which made the batch's read a third of
an answer's time (benchmarks/RESULTS.md, issue 9 item 2). The columns hold what
the repositories wrote through validated models, and the row readers convert
each one to its field's type themselves (booleans, timestamps, JSON), so
validating again only repeats work. `trusted` fills every field from the given
values and nothing else: a missing or unknown field is a programming error and
raises at once rather than leaving a half-built model.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__
_fields: dict[type[BaseModel], frozenset[str]] = {}


def _names(cls: type[BaseModel]) -> frozenset[str]:
    names = _fields.get(cls)
    if names is None:
        if cls.model_config.get("extra") == "allow":
            raise TypeError(f"{cls.__name__} allows extra fields; build it by validation")
        if cls.__private_attributes__:
            raise TypeError(f"{cls.__name__} has private attributes; build it by validation")
        names = _fields[cls] = frozenset(cls.model_fields)
    return names


def trusted(cls: type[M], values: dict[str, Any]) -> M:
    """A `cls` holding exactly `values` (every field, already of its type), unvalidated."""
    names = _names(cls)
    if len(values) != len(names) or not names.issuperset(values):
        wrong = sorted(names.symmetric_difference(values))
        raise TypeError(f"{cls.__name__} built from rows needs every field: {wrong}")
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(names))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
