"""A Telegram-compatible local Bot API server for demos, drills and end-to-end tests.

Why this package exists: the bot must be tried end to end -- real aiogram
session, real HTTP, real Telegram request and error shapes -- without a network
or a token.  `SandboxServer` serves the Bot API (and a control API to act as
people) over a `SandboxState` that holds the simulated world.
"""

from sandbox.errors import ApiError, ControlError
from sandbox.server import SandboxServer
from sandbox.state import SandboxState

__all__ = ["ApiError", "ControlError", "SandboxServer", "SandboxState"]
