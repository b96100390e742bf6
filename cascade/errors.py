"""Refusals the domain hands back to people, as keys the bot can translate.

A refusal is not a crash: it is a short, polite sentence for the person who
asked (wrong person, wrong chat, bad value), never a traceback.
"""

from __future__ import annotations


class Refused(Exception):
    """The request is understood and declined; `key` names the sentence."""

    def __init__(self, key: str, **params: str | int) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
