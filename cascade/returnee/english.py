"""Round 28: an English report's count, read where the English says it plainly.

Foreign residents and traders write their reports in English ("Two tenants, Mr Wang and
his wife, came back from Wuhan…", "1 person, live 稠城街道 工人北路 1088号", "Alone."),
and the Chinese readers read no count there, so a count the message states in so many
words was asked. This reader takes a number said with a word for people ("2 persons",
"three students", "Two tenants") or "alone", and only when the message says no other
number of people and no rough one ("about 5 people", "several workers"); adults and
children said apart add up ("2 adults and 1 child" is 3). Anything else stays a question.
"""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUMBER = rf"\d{{1,3}}|{'|'.join(_NUMBER_WORDS)}"
_PEOPLE = (
    r"persons?|people|tenants?|workers?|students?|guests?|passengers?|employees?|staff"
    r"|adults?|children|child|kids?|babies|baby|family members|members|colleagues?|friends?"
)
_SAID = re.compile(rf"\b({_NUMBER})\s+({_PEOPLE})\b", re.IGNORECASE)
_CHILD = re.compile(r"children|child|kids?|babies|baby")
# Any number or rough quantity before a people word, to refuse what is not plain.
_ANY = re.compile(rf"\b([A-Za-z]+|\d+)\s+(?:{_PEOPLE})\b", re.IGNORECASE)
_ROUGH = re.compile(
    r"\b(?:about|around|approximately|approx|maybe|perhaps|probably|some|several|few|many"
    r"|more than|less than|over|nearly|almost|at least|or so)\s+(?:\S+\s+)?$",
    re.IGNORECASE,
)
_ALONE = re.compile(r"\b(?:alone|by myself|on my own|only me|just me)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]")


def english_count(work: str) -> int | None:
    """The number of people an English message says plainly, or None."""
    if not _LETTERS.search(work):
        return None
    said: set[int] = set()
    adults: list[int] = []
    children: list[int] = []
    for match in _SAID.finditer(work):
        if _ROUGH.search(work, 0, match.start()):
            return None  # "about 5 people", "more than 3 workers"
        word = match.group(1).lower()
        number = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        noun = match.group(2).lower()
        if noun.startswith("adult"):
            adults.append(number)
        elif _CHILD.fullmatch(noun):
            children.append(number)
        else:
            said.add(number)
    if len(adults) == 1 and len(children) == 1:
        said.add(adults[0] + children[0])  # "2 adults and 1 child" is 3
    elif adults or children:
        said.update(adults + children)
    unread = [
        match
        for match in _ANY.finditer(work)
        if not match.group(1).isdigit()
        and match.group(1).lower() not in _NUMBER_WORDS
        and match.group(1).lower() in _QUANTIFIERS
    ]
    if unread:
        return None  # "several workers", "some people"
    if _ALONE.search(work):
        said.add(1)
    if len(said) != 1:
        return None  # none said, or "2 adults and 1 child": two numbers, which is the total?
    (count,) = said
    return count if count > 0 else None


_QUANTIFIERS = frozenset(
    ("some", "several", "few", "many", "more", "less", "a", "dozen", "dozens", "both", "all")
)
