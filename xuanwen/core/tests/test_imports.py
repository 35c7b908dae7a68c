"""The import result and the one rejection every batch service raises."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from xuanwen.core.imports import ImportResult, Rejected
from xuanwen.core.sheets import Column, Table

COLUMNS = (
    Column("unit", "单位代码", 16, True, ""),
    Column("unit_name", "单位名称(可选)", 14, False, ""),
    Column("name", "名称", 20, True, ""),
)


@dataclass
class Unit:
    code: str
    name: str


def result(**fields: str) -> ImportResult[str]:
    table = Table(columns=COLUMNS, positions={"unit": 1, "unit_name": 2, "name": 3})
    return ImportResult(table, fields=fields)


class RejectedTests(SimpleTestCase):
    def test_messages_name_the_sheet_rows(self) -> None:
        exc = Rejected({1: {"name": "重名。"}, 0: {"unit": "无权。"}}, row_numbers=[5, 9])
        self.assertEqual(exc.messages, ["第 5 行：无权。", "第 9 行：重名。"])
        self.assertEqual(Rejected({0: {"name": "重名。"}}).messages, ["第 1 行：重名。"])

    def test_a_single_record_refusal_keeps_its_fields(self) -> None:
        by_field = Rejected.from_error(2, ValidationError({"name": "重名。"}))
        self.assertEqual(by_field.problems, {2: {"name": "重名。"}})
        whole = Rejected.from_error(0, ValidationError("不行。"))
        self.assertEqual(whole.problems, {0: {"": "不行。"}})


class ImportResultTests(SimpleTestCase):
    def test_rule_problems_land_on_their_cells_in_one_format(self) -> None:
        r = result(facility="name")
        r.keep(4, "a")
        r.keep(7, "b")
        r.add_rule_problems({1: {"facility": "没有该书屋。", "other": "整行的问题。"}})
        r.add_rule_problems({0: {"unit": "无权。"}})
        self.assertFalse(r.ok)
        self.assertEqual(
            [str(p) for p in r.problems],
            ["第 4 行 第 A 列（单位代码）：无权。", "第 7 行：整行的问题。",
             "第 7 行 第 C 列（名称）：没有该书屋。"],
        )  # fmt: skip

    def test_a_row_unit_must_be_in_scope_and_match_its_name(self) -> None:
        r = result()
        units = {"331082001": Unit("331082001", "古城街道")}
        self.assertEqual(r.unit_of(2, {"unit": "331082001"}, units), units["331082001"])
        self.assertIsNone(r.unit_of(3, {"unit": "331082001", "unit_name": "别处"}, units))
        self.assertIsNone(r.unit_of(4, {"unit": "331082999"}, units))
        self.assertEqual(
            [str(p) for p in r.problems],
            ["第 3 行 第 B 列（单位名称(可选)）：与单位代码不符：331082001 是“古城街道”。",
             "第 4 行 第 A 列（单位代码）：单位代码“331082999”不存在或不在您的管辖范围内。"],
        )  # fmt: skip
