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

So, while aiogram is imported, those rebuilds are only recorded, and afterwards
each type's module gets the names its annotations import only for type checkers
(aiogram's `if TYPE_CHECKING:` imports), the names aiogram's rebuild resolved
them with. pydantic builds a deferred type's validator on its first use, from
its module's names, exactly as the eager rebuild would have: what is validated
and how is unchanged; only the types never used are never built.

`bot/__init__.py` calls `defer_aiogram_schemas()` so that any process importing the
bot gets it, without importing aiogram itself: it puts a finder first on
`sys.meta_path` whose loader runs aiogram's own when aiogram is first imported
(by whatever module needs it; `towerbot import` never does). The names are put
in place once aiogram's whole import is done: during it, each of aiogram's ~230
methods (whose models contain the types) would otherwise be built as it is
defined. If aiogram was imported before (a script that imports it first), it
does nothing: the types are then already built, as before.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from pydantic import BaseModel

# The package whose types are deferred: only `model_rebuild` calls on its own
# types, with the namespace it passes, are recorded.
PACKAGE = "aiogram"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def defer_aiogram_schemas() -> bool:
    """Have aiogram's types build their validators on first use, once it is imported.

    Returns whether it will (False: aiogram was imported already)."""
    if "aiogram" in sys.modules:
        return False
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    return True


class _Finder(importlib.abc.MetaPathFinder):
    """Finds aiogram as the other finders do, and gives it the deferring loader."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != PACKAGE:
            return None
        sys.meta_path.remove(self)  # once: aiogram is imported once
        spec = importlib.util.find_spec(PACKAGE)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader(importlib.abc.Loader):
    """aiogram's own loader, its `model_rebuild` calls recorded while it runs."""

    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        original = BaseModel.__dict__["model_rebuild"]  # the classmethod object itself
        deferred: list[tuple[type[BaseModel], dict[str, Any]]] = []

        def record(cls: type[BaseModel], **kwargs: Any) -> bool | None:
            names = kwargs.get("_types_namespace")
            if (
                cls.__module__.startswith(PACKAGE + ".")
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
            self.real.exec_module(module)
        finally:
            BaseModel.model_rebuild = original  # type: ignore[method-assign]
        for cls, names in deferred:
            _import_annotation_names(cls, names)

    def __getattr__(self, name: str) -> Any:  # the rest (resources, source) is aiogram's own
        return getattr(self.real, name)


def _import_annotation_names(cls: type[BaseModel], names: dict[str, Any]) -> None:
    """Put into `cls`'s module the names its annotations use that the module imports
    only for type checkers (aiogram's `if TYPE_CHECKING:` imports), as aiogram's
    rebuild would have resolved them: so the type's fields resolve when it is built,
    whichever model's validator is being built at the time. Inherited fields count
    too (`MenuButtonCommands` gets `web_app: WebAppInfo` from `MenuButton`, and is
    built in its own module's names): each base's annotations go to the class's
    module and to the base's."""
    for base in cls.__mro__:
        if base is BaseModel or not issubclass(base, BaseModel):
            continue
        modules = [vars(sys.modules[cls.__module__]), vars(sys.modules[base.__module__])]
        for annotation in vars(base).get("__annotations__", {}).values():
            if isinstance(annotation, str):
                for name in IDENTIFIER.findall(annotation):
                    for module in modules:
                        if name not in module and name in names:
                            module[name] = names[name]
