"""HTML parse mode -> (text, entities), checked against Telegram's behaviour."""

from __future__ import annotations

import pytest

from sandbox.entities import (
    EntityParseError,
    bot_command_entities,
    check_url,
    detect_entities,
    entities_to_html,
    parse_html,
    strip_text,
    utf16_len,
    utf16_slice,
)


def e(kind: str, offset: int, length: int, **extra: object) -> dict[str, object]:
    return {"offset": offset, "length": length, "type": kind, **extra}


def test_plain_text_has_no_entities() -> None:
    assert parse_html("收到 ok") == ("收到 ok", [])
    assert parse_html("") == ("", [])


def test_utf16_lengths() -> None:
    assert utf16_len("收到") == 2  # BMP: one unit each
    assert utf16_len("👍") == 2  # outside the BMP: a surrogate pair
    assert utf16_len("✅") == 1  # U+2705 is in the BMP
    assert utf16_slice("a👍b", 1, 2) == "👍"


def test_simple_tags_and_synonyms() -> None:
    html = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins>"
        "<s>x</s><strike>k</strike><del>d</del>"
    )
    text, entities = parse_html(html)
    assert text == "bsieunxkd"
    assert [x["type"] for x in entities] == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
    ]
    assert [x["offset"] for x in entities] == list(range(9))


def test_chinese_and_emoji_offsets_are_utf16() -> None:
    text, entities = parse_html("🏟 🏟<i>🏟 &lt;🏟</i>")
    assert text == "🏟 🏟🏟 <🏟"
    assert entities == [e("italic", 5, 6)]
    text, entities = parse_html("塔山<b>溪西村👍12号</b>")
    assert text == "塔山溪西村👍12号"
    # 塔山 = 2 units; 溪西村 (3) + 👍 (2) + 12号 (3) = 8
    assert entities == [e("bold", 2, 8)]


def test_nested_tags() -> None:
    text, entities = parse_html("🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt;🏟</b></i>")
    assert text == "🏟 🏟🏟 ><🏟"
    assert entities == [e("italic", 5, 7), e("bold", 9, 3)]
    text, entities = parse_html("<i><b> </b> <code> </code></i>")
    assert entities == [e("italic", 0, 3), e("bold", 0, 1), e("code", 2, 1)]


def test_same_range_entities_follow_telegram_order() -> None:
    text, entities = parse_html("<code><i><b> </b></i></code><i><b><code> </code></b></i>")
    assert text == "  "
    assert entities == [
        e("code", 0, 1),
        e("bold", 0, 1),
        e("italic", 0, 1),
        e("code", 1, 1),
        e("bold", 1, 1),
        e("italic", 1, 1),
    ]


def test_html_entities() -> None:
    text, _ = parse_html("&lt;&gt;&amp;&quot;&#20013;&#x56fd;")
    assert text == '<>&"中国'
    # unsupported named entities stay as they are; ';' is optional
    assert parse_html("&ge;&laquo;&Or;&#12345678;")[0] == "&ge;&laquo;&Or;&#12345678;"
    assert parse_html("a &lt b & c")[0] == "a < b & c"


def test_empty_tags_make_no_entity() -> None:
    assert parse_html("x<b></b>y") == ("xy", [])


def test_spoilers_and_blockquotes() -> None:
    text, entities = parse_html(
        '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>'
        "<blockquote>c</blockquote><blockquote expandable>d</blockquote>"
    )
    assert text == "abcd"
    assert entities == [
        e("spoiler", 0, 1),
        e("spoiler", 1, 1),
        e("blockquote", 2, 1),
        e("expandable_blockquote", 3, 1),
    ]


def test_links() -> None:
    text, entities = parse_html('<a href="https://example.com">网站</a>')
    assert text == "网站"
    assert entities == [e("text_link", 0, 2, url="https://example.com/")]
    assert parse_html("<a href=telegram.org>x</a>")[1] == [
        e("text_link", 0, 1, url="http://telegram.org/")
    ]
    assert parse_html("<a   href=  'telegram.org?&lt;'   > </a>")[1] == [
        e("text_link", 0, 1, url="http://telegram.org/?<")
    ]
    # without href the text is the link; a text that is no URL gives no entity
    assert parse_html("<a>telegram.org</a>")[1] == [
        e("text_link", 0, 12, url="http://telegram.org/")
    ]
    assert parse_html("<a>telegram.org </a>") == ("telegram.org ", [])
    assert check_url("not a url") is None


def test_user_mention_uses_the_resolver() -> None:
    html = '<a href="tg://user?id=6000000001">老王</a> <a href="tg://user?id=42">某人</a>'
    known = {6000000001: {"id": 6000000001, "is_bot": False, "first_name": "王建"}}

    def resolve(user_id: int, link_text: str) -> dict[str, object]:
        return known.get(user_id, {"id": user_id, "is_bot": False, "first_name": link_text})

    text, entities = parse_html(html, resolve)
    assert text == "老王 某人"
    assert entities == [
        e("text_mention", 0, 2, user=known[6000000001]),
        e("text_mention", 3, 2, user={"id": 42, "is_bot": False, "first_name": "某人"}),
    ]


def test_pre_and_code_language_merging() -> None:
    assert parse_html('<pre><code class="language-python">x=1</code></pre>')[1] == [
        e("pre", 0, 3, language="python")
    ]
    assert parse_html('<code class="language-fift"><pre>x</pre></code>')[1] == [
        e("pre", 0, 1, language="fift")
    ]
    assert parse_html("<pre><code>x</code></pre>")[1] == [e("pre", 0, 1), e("code", 0, 1)]
    assert parse_html('<pre><code class="language-fift">x</code> </pre>')[1] == [
        e("pre", 0, 2),
        e("code", 0, 1),
    ]


def test_end_tag_may_be_anonymous_or_padded() -> None:
    assert parse_html("<i>a</>")[1] == [e("italic", 0, 1)]
    assert parse_html("<i>a</i   >")[1] == [e("italic", 0, 1)]
    assert parse_html("<I>a</i>")[1] == [e("italic", 0, 1)]


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            "🏟 🏟&lt;<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        (
            "<b>收到<i>x</b></i>",
            'Unmatched end tag at byte offset 13, expected "</i>", found "</b>"',
        ),
        ("<b>收到", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_errors_match_telegram(html: str, reason: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(html)
    assert info.value.reason == reason


def test_bot_command_entities() -> None:
    text = "/order@towerbot 15m 立即排查返乡人员"
    assert bot_command_entities(text) == [e("bot_command", 0, len("/order@towerbot"))]
    assert bot_command_entities("完成 27/27") == []
    assert bot_command_entities("👍 /status") == [e("bot_command", 3, 7)]


def test_detect_entities_finds_what_telegram_finds() -> None:
    text = "/report@towerbot 12 请 @wangjian 看 #返乡 https://example.com/a. 邮件 a.b@example.org"
    found = detect_entities(text)
    kinds = [(x["type"], utf16_slice(text, x["offset"], x["length"])) for x in found]
    assert kinds == [
        ("bot_command", "/report@towerbot"),
        ("mention", "@wangjian"),
        ("hashtag", "#返乡"),
        ("url", "https://example.com/a"),
        ("email", "a.b@example.org"),
    ]


def test_detection_skips_code_and_links() -> None:
    text, entities = parse_html("<code>/start</code> /ping <a href='https://x.org'>@someone</a>")
    merged = detect_entities(text, entities)
    assert [x["type"] for x in merged] == ["code", "bot_command", "text_link"]


def test_strip_moves_entities() -> None:
    text, entities = parse_html("  \n<b> 收到 </b>\n ")
    assert strip_text(text, entities) == ("收到", [e("bold", 0, 2)])


def test_entities_to_html_round_trip() -> None:
    html = '<b>收到</b> 👍 <i>完成 <u>27</u></i> <a href="https://example.com/">x</a> &lt;&amp;'
    text, entities = parse_html(html)
    assert parse_html(entities_to_html(text, entities)) == (text, entities)
