"""Maintained libraries against the returnee parser, on the tuning corpus only.

Before extending the hand-written rules (issue 10), the libraries that could
replace parts of them are run on the same messages: jionlp's time and phone
extraction, phonenumbers' phone matcher. Each is scored on the fields it can
supply (arrival, phone), with the same rule as the parser: a miss is an
abstention (nothing read) or a wrong value. The held-out corpus is not used,
so this comparison cannot tune anything on it.

The libraries are not project dependencies; run this in a scratch venv:

    python -m venv /tmp/libvenv
    /tmp/libvenv/bin/pip install jionlp phonenumbers pydantic pyyaml cn2an
    PYTHONPATH=$PWD /tmp/libvenv/bin/python -m benchmarks.returnee_libraries
"""

from __future__ import annotations

import importlib
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from benchmarks.returnee_corpus import NOW, expected, load
from cascade.returnee import parse_report, to_json

Reader = Callable[[str], Any]


def _timed_import(name: str) -> tuple[Any, float]:
    start = time.perf_counter()
    module = importlib.import_module(name)
    return module, time.perf_counter() - start


def jionlp_readers() -> tuple[dict[str, Reader], float]:
    jio, seconds = _timed_import("jionlp")
    base = NOW.replace(tzinfo=None).timestamp()

    def arrival(text: str) -> str | None:
        found = jio.ner.extract_time(text, time_base=base, with_parsing=True)
        values: set[str] = set()
        for item in found:
            detail = item.get("detail", {})
            if item.get("type") != "time_point" or not isinstance(detail.get("time"), list):
                return None  # a span or a delta (过两天): no single arrival
            start, end = (datetime.fromisoformat(t) for t in detail["time"])
            if (end - start).total_seconds() >= 86_399 or detail.get("definition") == "blur":
                values.add(start.date().isoformat())
            else:
                values.add(start.replace(tzinfo=NOW.tzinfo).isoformat())
        return values.pop() if len(values) == 1 else None

    def phone(text: str) -> str | None:
        found = {_phone_form(item["text"]) for item in jio.extract_phone_number(text, detail=True)}
        return found.pop() if len(found) == 1 else None

    return {"arrival": arrival, "phone": phone}, seconds


def phonenumbers_readers() -> tuple[dict[str, Reader], float]:
    phonenumbers, seconds = _timed_import("phonenumbers")

    def phone(text: str) -> str | None:
        found = {
            _phone_form(match.raw_string)
            for match in phonenumbers.PhoneNumberMatcher(text, "CN", leniency=1)
        }
        return found.pop() if len(found) == 1 else None

    return {"phone": phone}, seconds


def _phone_form(raw: str) -> str:
    """A found number in the corpus form: 11 mobile digits, or 0579-85512345."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    parts = re.split(r"[-\s]+", raw.strip())
    return "-".join(parts) if len(parts) == 2 else digits


def parser_readers() -> tuple[dict[str, Reader], float]:
    def field(name: str) -> Reader:
        return lambda text: to_json(parse_report(text, NOW))[name]

    return {"arrival": field("arrival"), "phone": field("phone")}, 0.0


def main() -> int:
    cases = load("tuned")
    contenders: dict[str, Callable[[], tuple[dict[str, Reader], float]]] = {
        "towerbot parser": parser_readers,
        "jionlp": jionlp_readers,
        "phonenumbers": phonenumbers_readers,
    }
    print(f"tuning corpus: {len(cases)} messages (held-out part not used)")
    for name, make in contenders.items():
        try:
            readers, import_seconds = make()
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        for field_name, read in readers.items():
            right = wrong = abstained = 0
            start = time.perf_counter()
            for case in cases:
                got, want = read(case["text"]), expected(case, field_name)
                if got == want:
                    right += 1
                elif got is None:
                    abstained += 1
                else:
                    wrong += 1
            per_message = (time.perf_counter() - start) / len(cases) * 1000
            print(
                f"{name:16} {field_name:8} right {right}/{len(cases)} "
                f"({right / len(cases):.1%}), abstained {abstained}, wrong {wrong}; "
                f"import {import_seconds:.2f} s, {per_message:.2f} ms/message"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
