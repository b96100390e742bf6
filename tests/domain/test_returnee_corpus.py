"""The parser against real-looking reports: accuracy, and no wrong value said silently.

`corpus.yaml` holds landlords', shop chiefs' and commanders' messages with the
fields a careful person would write down. Two promises are checked over every
(message, field) pair:

- at least 98 % of the fields come out right (the accuracy and the misses are
  printed, so a drop shows what broke; the parser was tuned on this file, the
  held-out figure is in tests/domain/returnee_corpus/README.md);
- a field that comes out wrong is empty AND asked about. The reporter confirms
  what the bot read; a wrong count or day confirmed at midnight sends the wrong
  people to isolation, a question does not.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from cascade.returnee import ReturneeReport, parse_report, to_json

NOW = datetime(2020, 2, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
FIELDS = ("count", "origin", "via", "arrival", "address", "phone")
ASKABLE = ("count", "origin", "arrival", "address", "phone")
CORPUS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "returnee_corpus" / "corpus.yaml").read_text(encoding="utf-8")
)


def expected(case: dict[str, Any], field: str) -> Any:
    return case.get(field, [] if field == "via" else None)


@pytest.fixture(scope="module")
def parsed() -> list[tuple[dict[str, Any], ReturneeReport, dict[str, object]]]:
    out = []
    for case in CORPUS:
        report = parse_report(case["text"], NOW)
        out.append((case, report, to_json(report)))
    return out


def test_corpus_is_big_and_varied() -> None:
    assert len(CORPUS) >= 200
    assert len({case["text"] for case in CORPUS}) == len(CORPUS), "duplicate messages"
    assert sum(1 for case in CORPUS if case.get("count") is None) >= 5
    assert sum(1 for case in CORPUS if case.get("phone")) >= 5
    assert sum(1 for case in CORPUS if case.get("ids")) >= 3


def test_field_accuracy_is_at_least_98_percent(parsed: list) -> None:
    total = right = 0
    misses = []
    for case, _report, data in parsed:
        for field in FIELDS:
            total += 1
            if data[field] == expected(case, field):
                right += 1
            else:
                misses.append(f"  {field}: got {data[field]!r}, want {expected(case, field)!r}")
                misses.append(f"      {case['text']}")
    accuracy = right / total
    print(f"\nreturnee parser: {right}/{total} fields right = {accuracy:.1%}")
    print("\n".join(misses))
    assert accuracy >= 0.98, f"accuracy {accuracy:.1%} below 98 %"


def test_a_wrong_field_is_empty_and_asked(parsed: list) -> None:
    silent = []
    for case, _report, data in parsed:
        for field in FIELDS:
            got = data[field]
            if got == expected(case, field):
                continue
            if got not in (None, []) or field not in data["questions"]:
                silent.append(f"{field}: got {got!r} (asked: {data['questions']}) | {case['text']}")
    assert not silent, "wrong values given without a question:\n" + "\n".join(silent)


def test_an_unknown_field_is_asked(parsed: list) -> None:
    unasked = [
        f"{field} | {case['text']}"
        for case, _report, data in parsed
        for field in ASKABLE
        if expected(case, field) is None and field not in data["questions"]
    ]
    assert not unasked, "unknown fields the bot would not ask about:\n" + "\n".join(unasked)


def test_id_numbers_are_all_found(parsed: list) -> None:
    for case, report, _data in parsed:
        for number in case.get("ids", []):
            assert number in report.id_numbers, case["text"]


def test_names_are_mostly_found(parsed: list) -> None:
    """Names feed masking: most must be found, and a found name must be a name."""
    wanted = found = 0
    for case, report, _data in parsed:
        names = case.get("names", [])
        wanted += len(names)
        found += sum(1 for name in names if name in report.names)
        assert set(report.names) <= set(names), case["text"]
    print(f"\nnames found: {found}/{wanted}")
    assert found / wanted >= 0.9


def _load(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(
        (Path(__file__).parent / "returnee_corpus" / name).read_text(encoding="utf-8")
    )
    return cases


@pytest.mark.parametrize(
    "name",
    [
        "corpus_heldout2.yaml",
        "corpus_heldout3.yaml",
        "corpus_heldout4.yaml",
        "corpus_heldout5.yaml",
        "corpus_heldout6.yaml",
        "corpus_heldout7.yaml",
        "corpus_heldout8.yaml",
        "corpus_heldout9.yaml",
        "corpus_heldout10.yaml",
        "corpus_heldout11.yaml",
        "corpus_heldout12.yaml",
        "corpus_heldout13.yaml",
        "corpus_heldout14.yaml",
        "corpus_heldout15.yaml",
        "corpus_heldout16.yaml",
        "corpus_heldout17.yaml",
        "corpus_heldout21.yaml",
        "corpus_heldout22.yaml",
        "corpus_heldout24.yaml",
        "corpus_heldout25.yaml",
        "corpus_heldout26.yaml",
    ],
)
def test_no_wrong_value_goes_unasked_on_the_spent_parts(name: str) -> None:
    """The spent held-out parts now guard what was fixed against them.

    Their misses were read and fixed (heldout2: a total after names, relatives
    before their companions, the reporter's or an informant's place, a place not
    visited…; heldout3: a pointer before an address, several origins, a station
    word, batches, a hedged or reported-on day, a roster, a changed route;
    heldout4: a place's less specific prefix, a hedge looking back, 下周一起, more
    on the way, 各一个, spaces in an address, N时M分; heldout5: unread day words,
    听…说 and 像是, several places, households, kin lists typed with commas, tables,
    words before an address; heldout6 and heldout7: doubts said after the places,
    several candidate places, a vehicle's or ticket's place, days of other
    events, house numbers in Chinese digits, names run together, the reporter's
    own seat, amendments; heldout8: kin words the count reader does not hold, a
    count corrected or given as a choice or a range, the reporter's own later
    step, hearsay, words before an address, a flight's legs, stops run together;
    heldout9, through round 10's evidence guard: a label's last character kept, a
    companion after 同车, a total said against the relatives, a terse column, people
    who never left; heldout10 and heldout11, through round 12's checks of evidence
    that cannot pin a value down: 义乌 as origin or stop, a name going on past the
    value, a province said apart, two people with two places, stops given no role, a
    clock time as a bound or of an earlier leg, a night with no day, another step's
    day, an address beside something, cut or going on, households, a family listed
    without its size, a number after "A和伙计"; heldout12, through round 13's checks:
    a stop denied, where they got off, a county's suffix dropped, activity words in
    the origin, two places each said as where they came from, a time still open, a
    range of days, a day that settles something later, an address going on, led by a
    pronoun or with its room said apart, a count below the people said, one person
    with a companion, a leader who brings N, a family listed from a spouse, the
    reporter's companions listed, doubt whether anyone came; heldout13, through round
    14's checks and readers: a field said not to be known, a day as a lower bound,
    people arriving at different times, people listed one by one, N and a relative,
    the batch in the origin, a city whose province is said elsewhere, an address going
    on, a leg's end before another leg, 和/经 starting a name after a town, X址, the
    village that signs the report, a workplace's address after its dormitory);
    heldout14, through round 15's joining of split typing and its checks of registers
    the readers cannot trust (Latin letters, a country for the origin, an address cut
    or typed apart, a county typed apart, batches in other words, 当日, 某, several
    flats each with its people); heldout15, through round 16's readers (market streets
    by side, a stall number said apart, 号码 and 一户N人 after an address) and its asks
    (a phone or clock time guessed, 下周一二, others coming later, 大多来自, a county after
    a filler, households each with a flat, a leg's end after the stops, an address
    going on into a hall or works; kept and asked: a house number said in words, a
    building without the estate named apart, a dormitory named by whose it is);
    heldout16, through round 17's readers (a village's address as said, without a town
    named elsewhere; a named project's dwelling; a village's lodging of no name; a
    transfer said as its own clause; a floor of the reporter's building) and its asks
    (明后天, a day said roughly, a month's 廿 day without 号, a count waiting on someone or
    with one not able to come, a place said twice, people living apart, the reporter's
    compound unnamed, where they live not known); heldout17, through round 18's readers
    (the origin city is no stop, 住 向阳村, 廿 in a house number, a voice filler in a
    place, a phone's label after a building) and its asks (a day as a bound, a clock
    span, one not back yet, an hour said but not read, more besides, people who never
    left, a place not known or misheard, households by pair, a flight's landing left
    out, the day of telling, an address going on or unsettled); heldout21 and heldout22,
    through round 20's readers (返义 after a place, 截至 with a part of day, 到今天回来的,
    大写 house numbers, a name cutting a place) and its weak paths (a stop with more than
    its city, passed by, denied, after a remark or a leg's end left out, a guessed or
    another place's hour, a running total, a region or 佬, someone with no number, kin of
    kin, one added or only some coming, a generic dwelling, a zone, 本 or a word typed
    apart before the address, a mobile in odd groups); heldout24, through round 21's
    second readings (names or members beyond the count, a total and its part, an hour or
    a landing not read, a stop the route changes at, a market stall, an address's ends);
    heldout25 and heldout26, through round 23's second readings (a number of people said
    after a correction or as a family's size, the companions of a named one, others
    besides, a family counted as one, details to be checked, a day for people not arrived
    yet or said by hearsay, the others' or several groups' places, a county right after
    the origin, a stay on the way, stops passed without stopping, a market street on one
    side, a word glued into the address, a town said after a correction, a logistics
    site's dormitory, a house number in words):
    a value that comes out wrong there must at least be asked about. heldout23 is spent
    too but not listed: three of its labels ask what the older parts give (a count of
    一 from 他 alone, a province hedged by 好像 in the clause before, a province said of
    two of eight people), README "Round 21".
    """
    silent = []
    for case in _load(name):
        data = to_json(parse_report(case["text"], NOW))
        for field in FIELDS:
            got = data[field]
            if got not in (None, []) and got != expected(case, field):
                if field not in data["questions"]:
                    silent.append(f"{field}: got {got!r} | {case['text']}")
    assert not silent, "wrong values given without a question:\n" + "\n".join(silent)


HELDOUT_PARTS = (
    "corpus_heldout2.yaml",
    "corpus_heldout3.yaml",
    "corpus_heldout4.yaml",
    "corpus_heldout5.yaml",
    "corpus_heldout6.yaml",
    "corpus_heldout7.yaml",
    "corpus_heldout8.yaml",
    "corpus_heldout9.yaml",
    "corpus_heldout10.yaml",
    "corpus_heldout11.yaml",
    "corpus_heldout12.yaml",
    "corpus_heldout13.yaml",
    "corpus_heldout14.yaml",
    "corpus_heldout15.yaml",
    "corpus_heldout16.yaml",
    "corpus_heldout17.yaml",
    "corpus_heldout18.yaml",
    "corpus_heldout19.yaml",  # the held-out part of round 19 (writer11), scored by the lead
    "corpus_heldout20.yaml",  # a reserve (writer12), not scored: only this check reads it
    "corpus_heldout21.yaml",  # spent in round 20 (writer13): its misses were read
    "corpus_heldout22.yaml",  # spent in round 20 (writer14): its misses were read
    "corpus_heldout23.yaml",  # spent in round 21 (writer15): its misses were read
    "corpus_heldout24.yaml",  # spent in round 21 (writer16): its misses were read
    "corpus_heldout25.yaml",  # spent in round 23 (writer17): its misses were read
    "corpus_heldout26.yaml",  # spent in round 23 (writer18): its misses were read
    "corpus_heldout27.yaml",  # spent in round 24 (writer21): its misses were read
    "corpus_heldout28.yaml",  # spent in round 28 (writer22): its misses were read
    "corpus_heldout29.yaml",  # spent in round 24 (writer23): its misses were read
    "corpus_heldout30.yaml",  # spent in round 28 (writer24): its misses were read
    "corpus_heldout31.yaml",  # a reserve (writer25), not scored: only this check reads it
    "corpus_heldout32.yaml",  # a reserve (writer26), not scored: only this check reads it
    "corpus_heldout33.yaml",  # a reserve (writer27), not scored: only this check reads it
)


@pytest.mark.parametrize("name", HELDOUT_PARTS)
def test_heldout_parts_are_apart_and_well_formed(name: str) -> None:
    """The held-out parts (see README.md) are big, separate and well formed.

    corpus_heldout19.yaml (the held-out part of round 19, scored by the lead) was
    written by an engineer who does not change the parser; corpus_heldout8.yaml to
    corpus_heldout18.yaml, written the same way, have
    been scored and their misses read. Their scores are not checked
    here: a test run would then score them at every change, and a failing
    threshold is a hint to tune against them. A held-out part is scored once
    before and once after a round of parser changes, with
    `python -m benchmarks.returnee_corpus --heldout`; the figures are in README.md.
    """
    heldout = _load(name)
    others = [case for other in HELDOUT_PARTS if other != name for case in _load(other)]
    assert len(heldout) >= 120 and len(heldout) + len(CORPUS) >= 300
    texts = [case["text"] for case in heldout]
    assert len(set(texts)) == len(texts), "duplicate messages"
    assert not set(texts) & {case["text"] for case in CORPUS + others}
    allowed = {"text", "names", "ids", *FIELDS}
    for case in heldout:
        assert set(case) <= allowed, case["text"]
        assert case.get("count") is None or isinstance(case["count"], int), case["text"]
        assert isinstance(case.get("via", []), list), case["text"]
    assert sum(1 for case in heldout if case.get("count") is None) >= 30  # asked, not guessed
