"""Test doubles shared by several test folders, imported as `tests.support.<module>`.

`tgfake`: a fake Telegram session and the `Harness` that drives a real `TowerBot`
through it. `botproc`: `towerbot run` as a real OS process (crash, lease,
webhook tests). `updates`: a bare group update for the dispatching tests.
`plain_words`: a presenter with plain words for the service tests. One home for
shared fakes means no conftest has to put another folder on `sys.path` to
borrow them.
"""
