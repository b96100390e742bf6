"""Materialised paths (`/hq/ts-01/ts-01-03/`) for subtree queries on an index.

A subtree is the half-open range [path, path-with-'/'-bumped): no LIKE, so the
'_' and '.' allowed in unit codes are never wildcards.
"""

from __future__ import annotations


def path_of(chain_codes: list[str]) -> str:
    """Path from root-first codes."""
    return "/" + "/".join(chain_codes) + "/"


def subtree_range(path: str) -> tuple[str, str]:
    return path, path[:-1] + chr(ord("/") + 1)


def codes_of(path: str) -> list[str]:
    """Root-first codes of a path."""
    return [part for part in path.split("/") if part]
