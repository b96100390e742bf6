"""aiogram's types build their pydantic validators when first used, not all at import.

Why: `import aiogram` cost ~169 MB of resident memory, most of the bot
process's 300 MB budget on Yiwu (benchmarks/RESULTS.md, "Memory"). aiogram
declares its ~440 types with `defer_build=True`, but `aiogram/types/__init__.py`
then calls `model_rebuild(_types_namespace=...)` on every one of them to resolve
their forward references, and that builds every type's validator and serializer
at once. Each embeds the whole tree of the types it contains (a `Message` holds
most of the Bot API), so ~440 such trees took ~107 MB and ~2 s, although the bot
only ever validates a handful of types (an `Update`, the messages and results of
the methods it calls, its keyboards).

So, while `aiogram.types` is imported, each of its types' `model_rebuild` only
records the namespace aiogram passes (one shared dict) as the type's parent
namespace. pydantic builds a deferred type's validator on its first use from that
namespace, exactly as the eager rebuild would have, so what is validated and how
is unchanged; only the types never used are never built.

`bot/__init__.py` calls `defer_aiogram_schemas()` so that any process importing the
bot gets it before aiogram loads. If aiogram was imported earlier (a script that
imports it first), it does nothing: the types are then already built, as before.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from pydantic import BaseModel

# The package whose types are deferred: only `model_rebuild` calls on its own
# types, with the namespace it passes, are intercepted.
PACKAGE = "aiogram."
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def defer_aiogram_schemas() -> bool:
    """Import `aiogram.types` with its types' validators deferred to first use.

    Returns whether it did (False: aiogram's types were imported already)."""
    if "aiogram.types" in sys.modules:
        return False
    original = BaseModel.__dict__["model_rebuild"]  # the classmethod object itself
    deferred: list[tuple[type[BaseModel], dict[str, Any]]] = []

    def record(cls: type[BaseModel], **kwargs: Any) -> bool | None:
        names = kwargs.get("_types_namespace")
        if (
            cls.__module__.startswith(PACKAGE)
            and names is not None
            and not kwargs.get("force", False)
            and not cls.__pydantic_complete__
        ):
            deferred.append((cls, names))
            return None
        result: bool | None = original.__func__(cls, **kwargs)
        return result

    BaseModel.model_rebuild = classmethod(record)  # type: ignore[method-assign,assignment]
    try:
        import aiogram.types  # noqa: F401 (its import runs the rebuilds deferred above)
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    # Only now, aiogram imported: had the names resolved during its import, each of
    # its ~230 methods (whose models contain the types) would be built as it is defined.
    for cls, names in deferred:
        _import_annotation_names(cls, names)
    return True


def _import_annotation_names(cls: type[BaseModel], names: dict[str, Any]) -> None:
    """Put into `cls`'s module the names its annotations use that the module imports
    only for type checkers (aiogram's `if TYPE_CHECKING:` imports), as aiogram's
    rebuild would have resolved them: so the type's fields resolve when it is built,
    whichever model's validator is being built at the time."""
    module = vars(sys.modules[cls.__module__])
    for annotation in vars(cls).get("__annotations__", {}).values():
        if isinstance(annotation, str):
            for name in IDENTIFIER.findall(annotation):
                if name not in module and name in names:
                    module[name] = names[name]
