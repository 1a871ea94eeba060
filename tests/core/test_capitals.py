"""Amounts in Chinese capitals (会计基础工作规范 第五十二条), each worked out by hand."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.money import chinese_capitals


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("3560.00", "叁仟伍佰陆拾元整"),
        ("10000.00", "壹万元整"),
        ("10010.00", "壹万零壹拾元整"),  # one 零 for the run 0,0 of the thousands and hundreds
        ("20500.00", "贰万零伍佰元整"),
        ("1000100.00", "壹佰万零壹佰元整"),
        ("100000001.00", "壹亿零壹元整"),  # a whole zero group of 万 and the next zeros: one 零
        ("680000.00", "陆拾捌万元整"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),  # the 元 place is 0 before 角: 零
        ("100.07", "壹佰元零柒分"),  # no 角: 零 between 元 and 分
        ("1409.50", "壹仟肆佰零玖元伍角整"),  # ends at 角: 整
        ("860.00", "捌佰陆拾元整"),
        ("0.50", "伍角整"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("12.3", "壹拾贰元叁角整"),
        ("-431.79", "负肆佰叁拾壹元柒角玖分"),
    ],
)
def test_capitals(amount, capitals):
    assert chinese_capitals(Decimal(amount)) == capitals


def test_the_template_filter_reads_figures_as_the_page_has_them():
    rendered = Template("{% load lingban %}{{ a|capitals }}|{{ b|capitals }}").render(
        Context({"a": Decimal("10000.00"), "b": None})
    )
    assert rendered == "壹万元整|"
