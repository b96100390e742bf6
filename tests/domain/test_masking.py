"""No group message ever carries a name, phone, ID number or exact address.

Property-based: whatever the reported names, phone numbers, ID numbers and
house numbers, the draft and the alerts (what groups see) do not contain them,
while the private details for commanders do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.formatting import Formatter
from bot.i18n import Texts
from bot.incident_presenter import BotIncidentPresenter
from cascade import masking
from cascade.incidents import Disposition, Incident, Stage
from cascade.ports import PersonRef
from cascade.returnee import ReturneeReport
from cascade.tower import UnitRef

TEXTS = Texts()
PRESENTER = BotIncidentPresenter(TEXTS, Formatter(TEXTS))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
UNIT = UnitRef(
    code="u", name="溪西村", level=3, kind="village", parent="p", chat_id=-1, locale="zh-Hans"
)
GROUP = UnitRef(
    code="p",
    name="塔山村",
    level=2,
    kind="village",
    parent=None,
    chat_id=-2,
    locale="zh-Hans",
    commander_name="李强",
    commander_id=9,
)

names = st.builds(
    lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(alphabet=GIVEN, min_size=1, max_size=2)
).filter(lambda name: name != GROUP.commander_name)  # the commander is named on purpose
phones = st.one_of(  # mobiles, and landlines as the returnee parser keeps them
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"0579-[2-8][0-9]{7}", fullmatch=True),
)
ids = st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True)
addresses = st.builds(
    lambda place, number, suffix: f"{place}{number}{suffix}",
    st.sampled_from(["溪西村", "塔山路", "青口小区3幢", "商城三区"]),
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["号", "室", "幢"]),
)


@settings(max_examples=150, deadline=None)
@given(
    person=names,
    phone=phones,
    id_number=ids,
    address=addresses,
    stage=st.sampled_from([Stage.DRAFT, Stage.OPEN, Stage.DISPOSED, Stage.DONE]),
)
def test_group_messages_never_show_personal_data(
    person: str, phone: str, id_number: str, address: str, stage: Stage
) -> None:
    text = f"租客{person}带2位家人从湖南回来，住{address}，电话{phone}，身份证{id_number}"
    now = datetime(2020, 2, 20, 2, 0, tzinfo=UTC)
    report = ReturneeReport(
        count=3, origin="湖南", address=address, phone=phone, names=[person], id_numbers=[id_number]
    )
    incident = Incident(
        id=1,
        unit_code="u",
        reporter_id=5,
        chat_id=-1,
        text=text,
        report=report,
        stage=stage,
        created_at=now,
        reported_at=now,
        disposition=Disposition.HOME if stage in (Stage.DISPOSED, Stage.DONE) else None,
        done_at=now + timedelta(minutes=12) if stage is Stage.DONE else None,
    )
    group_texts = [
        PRESENTER.draft(incident, UNIT).text,
        PRESENTER.alert(incident, UNIT, GROUP, None).text,
        PRESENTER.alert(incident, UNIT, GROUP, timedelta(minutes=20)).text,
        PRESENTER.stage(incident, UNIT, GROUP).text,
        masking.scrub(text, report),
    ]
    for shown in group_texts:
        for secret in (person, phone, id_number, address):
            assert secret not in shown, (secret, shown)
    details = PRESENTER.details(incident, UNIT, GROUP, PersonRef(name="房东", telegram_id=9)).text
    assert phone in details and person in details and address in details
