"""Words for people in the tower: cards, the three shows, member changes, scores.

Every name and free text that came from a person is HTML-escaped here; numbers
and dates are formatted in the tower's time zone.
"""

from __future__ import annotations

from bot.formatting import Formatter
from bot.html import Markup, esc, join, mention
from bot.i18n import Texts
from cascade.incidents import Disposition
from cascade.member_service import MemberChange, MemberPlan, Roll
from cascade.outgoing import Button, Rendered
from cascade.people import PersonSeat, mask_phone
from cascade.people_service import Card, Identity
from cascade.score_service import ScoreChange
from cascade.scoring import Ranking, ScoreEntry, ScorePolicy, Standing
from cascade.tower import Role, UnitRef

MAX_NAMES = 12
MAX_TEXT = 24
MAX_ROLL = 60


def short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PeoplePresenter:
    def __init__(
        self,
        texts: Texts,
        fmt: Formatter,
        policy: ScorePolicy | None = None,
        duties: dict[str, str] | None = None,
    ) -> None:
        self.texts = texts
        self.fmt = fmt
        self.policy = policy or ScorePolicy()
        self.duty_texts = duties or {}

    # ------------------------------------------------------------ small words

    def roles(self, locale: str, roles: list[Role]) -> Markup:
        if not roles:
            return self.texts.get(locale, "roles-none")
        return self.fmt.join(locale, [self.texts.get(locale, f"role-{r.value}") for r in roles])

    def position(self, locale: str, seat: PersonSeat) -> str:
        return self.texts.get(locale, f"position-{seat.position.value}")

    def seat_line(self, locale: str, key: str, seat: PersonSeat) -> Markup:
        """One seat as `/card` and `/whoami` show it: unit, level, position, roles."""
        return self.texts.get(
            locale,
            key,
            unit=esc(seat.unit.name),
            level=self.fmt.level(locale, seat.unit.level),
            position=self.position(locale, seat),
            roles=self.roles(locale, seat.roles),
        )

    def chain(self, chain: list[UnitRef]) -> Markup:
        return join(" → ", [u.name for u in reversed(chain)])

    def duties(self, locale: str, seats: list[PersonSeat]) -> list[Markup]:
        """One duty line per position and role held, each once (configurable texts)."""
        keys: list[str] = []
        for seat in seats:
            for key in [seat.position.value, *(r.value for r in seat.roles)]:
                if key not in keys:
                    keys.append(key)
        return [
            esc(self.duty_texts[k]) if k in self.duty_texts else self.texts.get(locale, f"duty-{k}")
            for k in keys
        ]

    # ------------------------------------------------------------ /card

    def card(self, locale: str, card: Card) -> str:
        t = self.texts
        lines = [t.get(locale, "card-head", name=esc(card.name))]
        for view in card.seats:
            seat = view.seat
            lines.append(self.seat_line(locale, "card-seat", seat))
            lines.append(t.get(locale, "card-chain", chain=self.chain(view.chain)))
        if card.phone is None:
            lines.append(t.get(locale, "card-phone-none"))
        else:
            key = "card-phone-masked" if card.phone_masked else "card-phone"
            lines.append(t.get(locale, key, phone=esc(card.phone)))
        if not card.statuses:
            lines.append(t.get(locale, "card-status-ok"))
        for status in card.statuses:
            key = (
                "card-status-central"
                if status.disposition is Disposition.CENTRAL
                else "card-status-home"
            )
            lines.append(
                t.get(
                    locale, key, until=status.until.strftime("%m-%d"), incident=status.incident_id
                )
            )
        if card.score is not None:
            lines.append(t.get(locale, "card-score", period=card.period or "", score=card.score))
        lines.extend(self._answers(locale, card))
        lines.extend(self._incidents(locale, card))
        return "\n".join(lines)

    def _answers(self, locale: str, card: Card) -> list[Markup]:
        t = self.texts
        if not card.answers:
            return [t.get(locale, "card-answers-none")]
        out = [t.get(locale, "card-answers-head")]
        for answer in card.answers:
            if answer.answered_at is not None and answer.value is not None:
                what = t.get(locale, "card-answer-value", value=answer.value)
            elif answer.answered_at is not None and answer.items:
                what = t.get(locale, "card-answer-items", items=answer.items)
            else:
                what = t.get(locale, "card-answer-acked")
            if answer.late:
                what += t.get(locale, "card-answer-late")
            unit = card.units.get(answer.unit_code)
            out.append(
                t.get(
                    locale,
                    "card-answer",
                    order=answer.order_id,
                    text=esc(short(answer.order_text)),
                    what=what,
                    unit=esc(unit.name if unit else answer.unit_code),
                )
            )
        return out

    def _incidents(self, locale: str, card: Card) -> list[Markup]:
        t = self.texts
        if not card.incidents:
            return [t.get(locale, "card-incidents-none")]
        out = [t.get(locale, "card-incidents-head")]
        for incident in card.incidents:
            unit = card.units.get(incident.unit_code)
            when = incident.reported_at or incident.created_at
            out.append(
                t.get(
                    locale,
                    "card-incident",
                    incident=incident.id,
                    when=when.astimezone(self.fmt.tz).strftime("%m-%d %H:%M"),
                    unit=esc(unit.name if unit else incident.unit_code),
                    people=t.get(locale, "card-people", count=incident.report.count)
                    if incident.report.count is not None
                    else t.get(locale, "card-people-unknown"),
                    stage=t.get(locale, f"incident-stage-{incident.stage.value}"),
                )
            )
        return out

    # ------------------------------------------------------------ /whoami

    def identity(self, locale: str, identity: Identity) -> str:
        t = self.texts
        lines = [t.get(locale, "whoami-head")]
        for view in identity.seats:
            seat = view.seat
            lines.append(self.seat_line(locale, "whoami-identity", seat))
        lines.append(t.get(locale, "whoami-duties-head"))
        for duty in self.duties(locale, [v.seat for v in identity.seats]):
            lines.append(t.get(locale, "whoami-duty", duty=duty))
        lines.append(t.get(locale, "whoami-map-head"))
        for view in identity.seats:
            lines.append(t.get(locale, "whoami-map-chain", chain=self.chain(view.chain)))
        for commanded in identity.commanded:
            if not commanded.below:
                continue
            names = self.fmt.join(locale, [c.name for c in commanded.children[:MAX_NAMES]])
            if len(commanded.children) > MAX_NAMES:
                names += "…"
            wrapped = Markup(f"（{names}）" if locale != "en" else f"({names})")
            lines.append(
                t.get(
                    locale,
                    "whoami-map-commands",
                    unit=esc(commanded.unit.name),
                    children=len(commanded.children),
                    below=commanded.below,
                    names=wrapped if names else "",
                )
            )
        return "\n".join(lines)

    # ------------------------------------------------------------ /member

    def map_titles(self, locale: str, identity: Identity, user_id: int) -> tuple[str, str]:
        """The `/whoami` picture's title, and its English fallback (no name) for missing fonts."""
        name = identity.seats[0].seat.name
        return (
            self.texts.get(locale, "whoami-map-title", name=name),
            self.texts.get("en", "whoami-map-title", name=str(user_id)),
        )

    def map_caption(self, locale: str, identity: Identity) -> Markup:
        return self.texts.get(locale, "whoami-map-caption", name=esc(identity.seats[0].seat.name))

    def seat_words(self, locale: str, seat: PersonSeat | None, masked: bool = True) -> Markup:
        t = self.texts
        if seat is None:
            return t.get(locale, "member-nobody")
        phone = mask_phone(seat.phone) if masked else seat.phone
        return t.get(
            locale,
            "member-person",
            name=esc(seat.name),
            position=self.position(locale, seat),
            roles=self.roles(locale, seat.roles),
            phone=t.get(locale, "member-person-phone", phone=esc(phone)) if phone else "",
        )

    def plan(self, locale: str, plan: MemberPlan) -> Rendered:
        t = self.texts
        text = t.get(
            locale,
            "member-preview",
            action=t.get(locale, f"member-action-{plan.action.value}"),
            unit=esc(plan.unit.name),
            before=self.seat_words(locale, plan.before),
            after=self.seat_words(locale, plan.after),
        )
        buttons = [
            [
                Button(text=t.get(locale, "member-confirm"), callback_data=f"mem:{plan.token}:ok"),
                Button(text=t.get(locale, "member-cancel"), callback_data=f"mem:{plan.token}:no"),
            ]
        ]
        return Rendered(text=text, buttons=buttons)

    def done(self, locale: str, plan: MemberPlan) -> str:
        seat = plan.after or plan.before
        return self.texts.get(
            locale,
            "member-done",
            action=self.texts.get(locale, f"member-action-{plan.action.value}"),
            unit=esc(plan.unit.name),
            name=esc(seat.name if seat else ""),
        )

    def roll(self, locale: str, roll: Roll) -> str:
        """`/member list`: the unit's seats, then commanders of units below not seated here."""
        t = self.texts
        count = len(roll.seats) + len(roll.child_commanders)
        lines = [t.get(locale, "member-roll-head", unit=esc(roll.unit.name), count=count)]
        for seat in roll.seats[:MAX_ROLL]:
            phone = mask_phone(seat.phone)
            lines.append(
                t.get(
                    locale,
                    "member-roll-line",
                    name=esc(seat.name),
                    position=self.position(locale, seat),
                    roles=self.roles(locale, seat.roles) if seat.roles else "",
                    phone=f" 📞{phone}" if phone else "",
                )
            )
        for child, name in roll.child_commanders[: max(0, MAX_ROLL - len(roll.seats))]:
            lines.append(t.get(locale, "member-roll-child", name=esc(name), child=esc(child.name)))
        return "\n".join(lines)

    def log(
        self, locale: str, unit: UnitRef, changes: list[MemberChange], units: dict[str, UnitRef]
    ) -> str:
        """`/member log`: the newest changes in the unit's subtree, or that there are none."""
        if not changes:
            return self.texts.get(locale, "member-log-none", unit=esc(unit.name))
        head = self.texts.get(locale, "member-log-head", unit=esc(unit.name), count=len(changes))
        return "\n".join([head, *(self.change(locale, c, units) for c in changes)])

    def change(self, locale: str, change: MemberChange, units: dict[str, UnitRef]) -> Markup:
        unit = units.get(change.unit_code)
        return self.texts.get(
            locale,
            "member-log-line",
            when=change.at.astimezone(self.fmt.tz).strftime("%m-%d %H:%M"),
            actor=mention(str(change.actor), change.actor),
            unit=esc(unit.name if unit else change.unit_code),
            action=self.texts.get(locale, f"member-action-{change.action}"),
            before=self.seat_words(locale, change.before),
            after=self.seat_words(locale, change.after),
        )

    # ------------------------------------------------------------ scores

    def reason(self, locale: str, entry: ScoreEntry) -> Markup:
        if entry.source == "auto":
            why, _, incident = entry.reason.partition(":")
            hours = round(self.policy.late_after.total_seconds() / 3600, 1)
            return self.texts.get(
                locale,
                f"score-reason-{why}",
                incident=incident,
                hours=int(hours) if hours == int(hours) else str(hours),
            )
        return esc(entry.reason)

    def score_done(self, locale: str, change: ScoreChange) -> Markup:
        """The commander's confirmation of a `/score` (the landlord is told privately)."""
        return self.texts.get(
            locale,
            "score-done",
            name=esc(change.entry.landlord_name),
            unit=esc(change.unit.name),
            delta=f"{change.entry.delta:+d}",
            reason=esc(change.entry.reason),
            total=change.total,
        )

    def changed(self, entry: ScoreEntry, total: int, unit: UnitRef) -> Rendered:
        locale = self.texts.pick(unit.locale)
        return Rendered(
            text=self.texts.get(
                locale,
                "score-changed",
                delta=f"{entry.delta:+d}",
                reason=self.reason(locale, entry),
                unit=esc(unit.name),
                period=entry.period,
                total=total,
            )
        )

    def ranking(self, ranking: Ranking, weekly: bool) -> Rendered:
        t, locale = self.texts, self.texts.pick(ranking.locale)
        count = len(ranking.standings)
        if not count:
            return Rendered(text=t.get(locale, "rank-empty", scope=esc(ranking.scope_name)))
        head = "rank-weekly-head" if weekly else "rank-head"
        lines = [
            t.get(locale, head, scope=esc(ranking.scope_name), period=ranking.period, count=count),
            t.get(locale, "rank-best-head"),
            *self._standings(locale, ranking.best),
            t.get(locale, "rank-worst-head"),
        ]
        if ranking.all_tied:
            lines.append(t.get(locale, "rank-all-tied", score=ranking.standings[0].score))
        else:
            lines.extend(self._standings(locale, ranking.worst))
        lines.append(t.get(locale, "rank-rule"))
        return Rendered(text="\n".join(lines))

    def _standings(self, locale: str, standings: list[Standing]) -> list[Markup]:
        if not standings:
            return [self.texts.get(locale, "rank-none")]
        return [
            self.texts.get(
                locale,
                "rank-line",
                place=s.place,
                name=mention(s.landlord_name, s.landlord_id),
                unit=esc(s.unit_name),
                score=s.score,
            )
            for s in standings
        ]
