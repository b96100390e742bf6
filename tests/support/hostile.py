"""Generated hostile traffic for the dispatcher, and the invariants it must keep.

`HostileTraffic` makes Telegram updates the way careless, curious or hostile
people (and a flaky server) would: random and malformed commands and
arguments, 4,096-character and empty texts, emoji, right-to-left text, HTML
metacharacters, forged, replayed, expired and foreign button data, replies to
messages that are not orders, edits, unknown chats and users, and updates
delivered again under the same id. `check_invariants` reads the order rows
straight from SQLite: what must hold after any sequence of updates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User

from storage.conn import Connection

GROUPS = [-1002000000001, -1002000000002, -1002000000003, -1002000000004, -1002000000026]
UNBOUND = [-1009999999999, -100123]
PEOPLE = [6000000001, 6000000004, 6000000005, 6000000007, 6000000009, 6000000010, 6000000014]
STRANGERS = [6999999997, 1, 2**53 + 1, 2**62]
COMMANDS = [
    "order", "report", "status", "pending", "cancel", "tree", "export", "chart", "stats",
    "returnee", "invite", "whoami", "help", "colour", "map", "daily", "incidents", "bind",
    "start", "nosuch", "ORDER", "order@tower_test_bot",
]  # fmt: skip
ARGS = [
    "", "1", "#1", "#2", "2", "99999999999999999999", "-5", "0", "abc", "15m count 统计外地人数",
    "1h list 名单", "10m notice 全员到岗", "0m notice x", "9999h count x", "L3 #shop_row 测试",
    "😀" * 30, "مرحبا بالعالم", "<b>&amp;</b> & < > \"'", "\n\n", "七八", "3到5", "ts-01",
    "ts-01-01", "red 演练", "green", "7", "7 12", "1 五", "tashan", "x" * 4000,
]  # fmt: skip
VALUES = ["5", "五", "十二", "两三个", "", " ", "0", "-3", "1e9", "999999999999999999999",
          "赵六 13600001111\n李四 溪西村12号", "😀", "<i>", "x" * 4096, "7人", "约5"]  # fmt: skip
PRESSES = [
    "ack:1", "ack:2", "ack:0", "ack:-1", "ack:99999999999999999999", "ACK:1", "ack:1:2",
    "of:kind:count", "of:duration:15m", "of:confirm:-", "of:cancel:-", "of:kind:nonsense",
    "inc:1:confirm", "inc:1:done", "inc:2:home", "inc:1:evil", "rf:count", "rf:phone",
    "mv:ts-01-01:1", "mv:nosuch:0", "", "💥", "x" * 64,
]  # fmt: skip


@dataclass
class Sent:
    update: Update
    command: str | None = None  # the command a person sent to this bot, to be answered
    press: str | None = None  # the callback query id, to be answered


@dataclass
class HostileTraffic:
    seed: int
    bot_id: int
    rng: random.Random = field(init=False)
    history: list[Update] = field(default_factory=list)
    bot_messages: list[Message] = field(default_factory=list)
    next_update: int = 10_000
    next_message: int = 500_000

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _user(self) -> User:
        uid = self.rng.choice(PEOPLE + PEOPLE + STRANGERS)
        lang = self.rng.choice(["zh-hans", "en", None, "ar", "xx"])
        return User(id=uid, is_bot=False, first_name=self.rng.choice(["王", "<b>", "😀", "x"]),
                    language_code=lang)  # fmt: skip

    def _chat(self, user: User) -> Chat:
        roll = self.rng.random()
        if roll < 0.75:
            return Chat(id=self.rng.choice(GROUPS), type="supergroup", title="群")
        if roll < 0.85:
            return Chat(id=self.rng.choice(UNBOUND), type="group", title="外群")
        return Chat(id=user.id, type="private")

    def _replied(self, chat: Chat) -> Message | None:
        own = [m for m in self.bot_messages if m.chat.id == chat.id]
        roll = self.rng.random()
        if own and roll < 0.6:
            return self.rng.choice(own)
        if roll < 0.7:  # a person's message, not the bot's
            return Message(message_id=1, date=0, chat=chat, text="随便说说",
                           from_user=User(id=PEOPLE[0], is_bot=False, first_name="王"))  # fmt: skip
        return None

    def _message(self, text: str, user: User, chat: Chat, reply: Message | None) -> Message:
        self.next_message += 1
        entities = None
        if text.startswith("/") and len(text) > 1:
            length = len(text.split(maxsplit=1)[0])
            entities = [MessageEntity(type="bot_command", offset=0, length=length)]
        return Message(message_id=self.next_message, date=0, chat=chat, from_user=user,
                       text=text, entities=entities, reply_to_message=reply)  # fmt: skip

    def next(self) -> Sent:
        self.next_update += 1
        uid = self.next_update
        roll = self.rng.random()
        if self.history and roll < 0.06:  # the server delivers an update again
            return Sent(update=self.rng.choice(self.history))
        user = self._user()
        chat = self._chat(user)
        if roll < 0.40:
            name = self.rng.choice(COMMANDS)
            text = f"/{name} {self.rng.choice(ARGS)}".rstrip()
            message = self._message(text, user, chat, self._replied(chat))
            update = Update(update_id=uid, message=message)
            ours = "@" not in name or name.endswith("@tower_test_bot")
            sent = Sent(update=update, command=name if ours else None)
        elif roll < 0.70:
            text = self.rng.choice(VALUES)
            message = self._message(text, user, chat, self._replied(chat))
            sent = Sent(update=Update(update_id=uid, message=message))
        elif roll < 0.92:
            on = self._replied(chat) or self._message("x", user, chat, None)
            data = self.rng.choice(PRESSES)
            query = CallbackQuery(id=f"q{uid}", from_user=user, chat_instance="c",
                                  message=on, data=data)  # fmt: skip
            sent = Sent(update=Update(update_id=uid, callback_query=query), press=query.id)
        else:
            earlier = [u.message for u in self.history if u.message is not None]
            if not earlier:
                return self.next()
            original = self.rng.choice(earlier)
            edited = original.model_copy(
                update={"text": self.rng.choice(VALUES) or "x", "edit_date": 1_600_000_000 + uid}
            )
            sent = Sent(update=Update(update_id=uid, edited_message=edited))
        self.history.append(sent.update)
        return sent


async def check_invariants(conn: Connection) -> list[str]:
    """Order roll-up invariants that no sequence of updates may break."""
    broken: list[str] = []
    checks = {
        "children counted and done children counted": """
            SELECT p.order_id, p.unit_code FROM order_units p
            LEFT JOIN (SELECT order_id, parent_code, COUNT(*) AS n,
                              COUNT(done_at) AS d
                       FROM order_units GROUP BY order_id, parent_code) c
              ON c.order_id = p.order_id AND c.parent_code = p.unit_code
            WHERE p.children_total != COALESCE(c.n, 0)
               OR p.children_done != COALESCE(c.d, 0)""",
        "a done unit has all its children done": """
            SELECT order_id, unit_code FROM order_units
            WHERE done_at IS NOT NULL AND children_done != children_total""",
        "only bottom units hold values": """
            SELECT order_id, unit_code FROM order_units
            WHERE is_bottom = 0 AND (value IS NOT NULL OR items IS NOT NULL)""",
        "no count below zero": """
            SELECT order_id, unit_code FROM order_units WHERE value < 0 OR subtotal < 0""",
        # The numbers themselves: a total that drifted from its parts is silently wrong.
        "a count's subtotal is its own value plus its children's subtotals": """
            SELECT p.order_id, p.unit_code FROM order_units p
            JOIN orders o ON o.id = p.order_id AND o.kind = 'count'
            WHERE p.subtotal != CASE WHEN p.is_bottom = 1 THEN COALESCE(p.value, 0) ELSE 0 END
                + COALESCE((SELECT SUM(c.subtotal) FROM order_units c
                            WHERE c.order_id = p.order_id AND c.parent_code = p.unit_code), 0)""",
        "a subtree's targets and done targets add up": """
            SELECT p.order_id, p.unit_code FROM order_units p
            LEFT JOIN (SELECT order_id, parent_code, SUM(sub_total) AS t, SUM(sub_done) AS d
                       FROM order_units GROUP BY order_id, parent_code) c
              ON c.order_id = p.order_id AND c.parent_code = p.unit_code
            WHERE p.sub_total != (1 - p.is_root) + COALESCE(c.t, 0)
               OR p.sub_done != CASE WHEN p.is_root = 0 AND p.done_at IS NOT NULL THEN 1 ELSE 0 END
                                + COALESCE(c.d, 0)""",
        "an order's done targets are its done units": """
            SELECT o.id, o.done_targets FROM orders o
            WHERE o.done_targets != (SELECT COUNT(*) FROM order_units u
                                     WHERE u.order_id = o.id AND u.is_root = 0
                                       AND u.done_at IS NOT NULL)""",
    }
    for name, sql in checks.items():
        async with conn.execute(sql) as cur:
            rows = await cur.fetchall()
        if rows:
            broken.append(f"{name}: {[tuple(r) for r in rows[:3]]}")
    return broken
