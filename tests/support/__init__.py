"""Test doubles shared by several test folders, imported as `tests.support.<module>`.

`tgfake`: a fake Telegram session and the `Harness` that drives a real `TowerBot`
through it. `botproc`: `towerbot run` as a real OS process (crash, lease,
webhook tests). `updates`: a bare group update for the dispatching tests.
`plain_words`: a presenter with plain words for the service tests.
`privacy_tools`, `hostile`, `restarts`, `buttons`: what the bot
tests send, read and press through the harness; `people_ids`, `colour_builders`:
the changchun tower's people and incident builders; `sandbox_helpers`,
`crashworld`: the sandbox and crash worlds of the sandbox and e2e tests. One
home for shared fakes means no conftest has to put another folder on `sys.path`
to borrow them.
"""
