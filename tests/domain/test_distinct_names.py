"""Headings of same-named units: as many ancestors' names as tell them apart."""

from __future__ import annotations

from cascade.distinct_names import distinct_paths


def test_a_unique_name_stays_alone_and_a_repeated_one_takes_its_parent() -> None:
    paths = {
        "a": ["第1街道", "第1小区"],
        "b": ["第2街道", "第1小区"],
        "c": ["第1街道", "第2小区"],
    }
    assert distinct_paths(paths) == {
        "a": ["第1街道", "第1小区"],
        "b": ["第2街道", "第1小区"],
        "c": ["第2小区"],
    }


def test_a_path_that_never_becomes_unique_is_given_whole() -> None:
    paths = {
        "a": ["塔山村"],
        "b": ["塔山村"],
        "c": ["镇", "东区", "1号楼"],
        "d": ["镇", "西区", "1号楼"],
    }
    assert distinct_paths(paths) == {
        "a": ["塔山村"],
        "b": ["塔山村"],
        "c": ["东区", "1号楼"],
        "d": ["西区", "1号楼"],
    }
