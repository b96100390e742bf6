"""Words for the incident loop: drafts, masked alerts, private details, stages, `/incidents`.

Group messages carry counts, places and masked personal data only (names,
phones, ID numbers and house numbers hidden); the private message to a
commander carries the reporter's own words and every detail.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.callbacks import IncidentCallback, ReturneeFormCallback
from bot.colour_presenter import COLOUR_MARK
from bot.formatting import Formatter
from bot.html import join, mention
from bot.i18n import Texts
from cascade import masking
from cascade.incident_service import loop_minutes
from cascade.incidents import Colour, Disposition, Incident, Stage
from cascade.outgoing import Button, Rendered
from cascade.ports import PersonRef
from cascade.queries import IncidentList
from cascade.tower import UnitRef


class BotIncidentPresenter:
    def __init__(self, texts: Texts, fmt: Formatter) -> None:
        self.t = texts
        self.fmt = fmt

    def _button(self, loc: str, incident: Incident, action: str, key: str) -> Button:
        data = IncidentCallback(incident_id=incident.id, action=action).pack()
        return Button(text=self.t.plain(loc, key), callback_data=data)

    def _arrival(self, loc: str, value: date | datetime | None, part: str | None) -> str:
        """The arrival as the reporter said it: a day, a day and its part of day ("今晚到":
        2月20日晚上), or a day and a clock time."""
        if value is None:
            return self.t.get(loc, "returnee-unknown")
        if isinstance(value, datetime):
            local = value.astimezone(self.fmt.tz)
            day = self.t.get(loc, "returnee-arrival-day", month=local.month, day=str(local.day))
            return self.t.get(loc, "returnee-arrival-time", day=day, time=local.strftime("%H:%M"))
        day = self.t.get(loc, "returnee-arrival-day", month=value.month, day=str(value.day))
        if part is None:
            return day
        return self.t.get(
            loc, "returnee-arrival-part", day=day, part=self.t.get(loc, f"returnee-part-{part}")
        )

    def _fields(self, loc: str, incident: Incident, masked: bool) -> str:
        report = incident.report
        unknown = self.t.get(loc, "returnee-unknown")
        address = report.address or unknown
        phone = report.phone or unknown
        names = self.fmt.join(loc, report.names) if report.names else unknown
        if masked:
            address = masking.address(report.address) if report.address else unknown
            phone = masking.phone(report.phone) if report.phone else unknown
            names = (
                self.fmt.join(loc, [masking.name(n) for n in report.names])
                if report.names
                else unknown
            )
        return self.t.get(
            loc,
            "returnee-fields",
            count=str(report.count) if report.count is not None else unknown,
            origin=report.origin or unknown,
            via=self.fmt.join(loc, report.via) if report.via else unknown,
            arrival=self._arrival(loc, report.arrival, report.arrival_part),
            address=address,
            phone=phone,
            names=names,
        )

    def _risk(self, loc: str, incident: Incident) -> str:
        return self.t.get(loc, "returnee-high-risk" if incident.high_risk else "returnee-normal")

    def draft(self, incident: Incident, unit: UnitRef) -> Rendered:
        loc = unit.locale
        # A field asked but read ("人数：4" with 人数 asked) is to be checked, not missing.
        report = incident.report
        missing = [q for q in report.questions if not getattr(report, q)]
        check = [q for q in report.questions if getattr(report, q)]
        questions = [
            self.t.get(
                loc,
                key,
                items=self.fmt.join(loc, [self.t.get(loc, f"returnee-ask-{q}") for q in asked]),
            )
            for key, asked in (("returnee-questions", missing), ("returnee-check", check))
            if asked
        ]
        text = self.t.get(
            loc,
            "returnee-draft",
            id=str(incident.id),
            unit=unit.name,
            fields=self._fields(loc, incident, masked=True),
            risk=self._risk(loc, incident),
            questions=join("", questions),
        )
        buttons = [
            [
                self._button(loc, incident, "confirm", "returnee-confirm"),
                self._button(loc, incident, "discard", "returnee-discard"),
            ]
        ]
        return Rendered(text=text, buttons=buttons)

    def alert(
        self, incident: Incident, unit: UnitRef, group: UnitRef, overdue: timedelta | None
    ) -> Rendered:
        loc = group.locale
        head = "returnee-alert" if overdue is None else "returnee-alert-escalated"
        state = ""
        if incident.stage is Stage.DISPOSED and incident.disposition is not None:
            state = self.t.get(
                loc,
                "returnee-state-disposed",
                disposition=self.t.get(loc, f"disposition-{incident.disposition.value}"),
            )
        elif incident.stage is Stage.DONE:
            minutes = loop_minutes(incident) or 0.0
            state = self.t.get(loc, "returnee-state-done", minutes=f"{minutes:.0f}")
        text = self.t.get(
            loc,
            head,
            id=str(incident.id),
            unit=unit.name,
            commander=mention(group.commander_name, group.commander_id),
            fields=self._fields(loc, incident, masked=True),
            risk=self._risk(loc, incident),
            overdue=self.fmt.duration(loc, overdue or timedelta(0)),
            state=state,
        )
        buttons: list[list[Button]] = []
        if incident.stage in (Stage.OPEN, Stage.DISPOSED):
            row = []
            for disposition in Disposition:
                key = f"disposition-{disposition.value}"
                button = self._button(loc, incident, disposition.value, key)
                if incident.high_risk and disposition is Disposition.CENTRAL:
                    button.text = "⭐ " + button.text
                if incident.disposition is disposition:
                    button.text = "✔ " + button.text
                row.append(button)
            buttons = [row[:2], row[2:]]
            if incident.stage is Stage.DISPOSED:
                buttons.append([self._button(loc, incident, "done", "returnee-done")])
        return Rendered(text=text, buttons=buttons)

    def details(
        self, incident: Incident, unit: UnitRef, commander: UnitRef, reporter: PersonRef
    ) -> Rendered:
        loc = commander.locale
        return Rendered(
            text=self.t.get(
                loc,
                "returnee-details",
                id=str(incident.id),
                unit=unit.name,
                reporter=mention(reporter.name, reporter.telegram_id),
                fields=self._fields(loc, incident, masked=False),
                ids=self.fmt.join(loc, incident.report.id_numbers)
                if incident.report.id_numbers
                else self.t.get(loc, "returnee-unknown"),
                text=incident.text,
                risk=self._risk(loc, incident),
            )
        )

    def stage(self, incident: Incident, unit: UnitRef, handler: UnitRef | None) -> Rendered:
        loc = unit.locale
        name = handler.name if handler else ""
        if incident.stage is Stage.OPEN:
            text = self.t.get(loc, "returnee-stage-open", id=str(incident.id), handler=name)
        elif incident.stage is Stage.DISPOSED and incident.disposition is not None:
            text = self.t.get(
                loc,
                "returnee-stage-disposed",
                id=str(incident.id),
                handler=name,
                disposition=self.t.get(loc, f"disposition-{incident.disposition.value}"),
            )
        else:
            minutes = loop_minutes(incident) or 0.0
            text = self.t.get(
                loc, "returnee-stage-done", id=str(incident.id), minutes=f"{minutes:.0f}"
            )
        return Rendered(text=text)


# ---------------------------------------------------------------- /incidents

MAX_INCIDENT_LINES = 25


def form_question(texts: Texts, locale: str, step: str) -> Rendered:
    """One question of the guided `/returnee` form; every step but the count may be skipped.

    The count has no button, so it is asked with ForceReply (privacy mode: the
    answer must be a reply to the bot)."""
    text = texts.get(locale, f"returnee-form-{step}")
    if step == "count":
        return Rendered(text=text, force_reply=True)
    skip = Button(
        text=texts.plain(locale, "returnee-form-skip"),
        callback_data=ReturneeFormCallback(step=step).pack(),
    )
    return Rendered(text=text, buttons=[[skip]])


def age(texts: Texts, locale: str, delta: timedelta) -> str:
    """How long ago, with its 前 / ago: under a minute is 刚刚 / just now, never "0 分钟前"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes == 0:
        return texts.get(locale, "inclist-age-now")
    if minutes < 60:
        return texts.get(locale, "inclist-age-minutes", minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return texts.get(locale, "inclist-age-hours", hours=hours, minutes=minutes)
    days, hours = divmod(hours, 24)
    return texts.get(locale, "inclist-age-days", days=days, hours=hours)


def incident_line(
    texts: Texts, locale: str, incident: Incident, unit: UnitRef | None, now: datetime
) -> str:
    """One incident for a group: counts, places and stages only, never a personal value."""
    report = incident.report
    people = (
        texts.get(locale, "inclist-people", count=report.count)
        if report.count is not None
        else texts.get(locale, "inclist-people-unknown")
    )
    origin = (
        masking.scrub(report.origin, report)
        if report.origin
        else texts.get(locale, "inclist-origin-unknown")
    )
    via = ""
    if report.via:
        places = join("、", [masking.scrub(v, report) for v in report.via])
        via = texts.get(locale, "inclist-via", places=places)
    disposition = (
        texts.get(locale, f"inclist-disposition-{incident.disposition.value}")
        if incident.disposition is not None
        else ""
    )
    stage = incident.stage if incident.stage in (Stage.DISPOSED, Stage.DONE) else Stage.OPEN
    state = texts.get(locale, f"inclist-state-{stage.value}", disposition=disposition)
    escalated = (
        texts.get(locale, "inclist-escalated", count=incident.escalations)
        if incident.escalations and incident.is_open
        else ""
    )
    return texts.get(
        locale,
        "inclist-line",
        mark=COLOUR_MARK[Colour.RED if incident.high_risk else Colour.YELLOW],
        id=str(incident.id),
        unit=unit.name if unit else incident.unit_code,
        people=people,
        route=texts.get(locale, "inclist-route", origin=origin, via=via),
        state=state,
        age=age(texts, locale, now - (incident.reported_at or incident.created_at)),
        escalated=escalated,
    )


def incidents_text(texts: Texts, locale: str, view: IncidentList, now: datetime) -> str:
    unit = view.scope.name
    if not view.incidents:
        return texts.get(locale, "inclist-none", unit=unit, which=view.which)
    lines: list[str] = [
        texts.get(locale, "inclist-head", unit=unit, which=view.which, count=view.total)
    ]
    for incident in view.incidents[:MAX_INCIDENT_LINES]:
        lines.append(
            incident_line(texts, locale, incident, view.units.get(incident.unit_code), now)
        )
    if view.total > MAX_INCIDENT_LINES:
        lines.append(texts.get(locale, "inclist-more", count=view.total - MAX_INCIDENT_LINES))
    return "\n".join(lines)
