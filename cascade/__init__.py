"""The domain of the tower of groups, kept free of Telegram and SQL.

Everything that decides — who may order, where an order goes, when a unit is
done, what the totals are — lives here as plain Python on pydantic models, so it
can be tested on its own and reused by the bot, the sandbox drills and storage.
"""
