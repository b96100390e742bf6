"""Hand-made units and incidents for the colour and tally tests."""

from __future__ import annotations

from datetime import datetime

from cascade.incidents import Disposition, Incident, Stage
from cascade.returnee import ReturneeReport
from cascade.tower import UnitRef

# Everything a landlord might write that must never reach a group chat.
PERSONAL = ReturneeReport(
    count=6,
    origin="湖南",
    via=["武汉"],
    address="溪西村12号",
    phone="13812345678",
    names=["老李", "李秀英"],
    id_numbers=["330782199001011234"],
)
REPORT_TEXT = (
    "租客老李(李秀英)带5位家人从湖南回来, 途经武汉, 住溪西村12号, 电话13812345678, "
    "身份证330782199001011234"
)


def ref(code: str, parent: str | None, level: int, name: str | None = None) -> UnitRef:
    return UnitRef(
        code=code,
        name=name or code,
        level=level,
        kind="unit",
        parent=parent,
        chat_id=None,
        locale="zh-Hans",
    )


def incident(
    unit: str,
    reported_at: datetime,
    people: int | None = 1,
    *,
    stage: Stage = Stage.OPEN,
    high_risk: bool = False,
    disposition: Disposition | None = None,
    disposed_at: datetime | None = None,
    report: ReturneeReport | None = None,
    id_: int = 0,
) -> Incident:
    base = report or ReturneeReport(count=people, origin="湖北")
    if report is None or people != report.count:
        base = base.model_copy(update={"count": people})
    return Incident(
        id=id_,
        unit_code=unit,
        reporter_id=1,
        chat_id=-1,
        text=REPORT_TEXT if report is not None else "返回人员",
        report=base,
        high_risk=high_risk,
        stage=stage,
        disposition=disposition,
        created_at=reported_at,
        reported_at=reported_at if stage is not Stage.DRAFT else None,
        disposed_at=disposed_at,
    )
