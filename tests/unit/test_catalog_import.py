"""The catalog model, the shipped demo catalog and the importer for a shop's own catalog."""

from __future__ import annotations

import csv
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog.importer import FIELDS, ImportReport, import_catalog
from bot.catalog.model import (
    DEMO_CATALOG_FILE,
    BrandVocabulary,
    Catalog,
    Product,
    load_brands,
    load_categories,
    load_demo_catalog,
    with_model_names,
)

ROOT = Path(__file__).resolve().parents[2]
BRANDS = load_brands()
CATEGORIES = load_categories()
LEAVES = (
    "跑步鞋", "篮球鞋", "休闲鞋", "连衣裙", "T恤", "牛仔裤", "羽绒服", "手机", "蓝牙耳机", "笔记本电脑",
    "平板电脑", "智能手表", "洗面奶", "面霜", "口红", "洗发水", "零食", "咖啡", "婴儿奶粉", "儿童玩具",
)  # fmt: skip
VALID_ROW = {"id": "SKU1", "title": "耐克 测试跑鞋", "category": "跑步鞋", "brand": "耐克", "price": "399", "stock": "5"}
CSV_COLUMNS = list(FIELDS)


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_demo_catalog()


def shoe(**changes: Any) -> Product:
    fields: dict[str, Any] = dict(
        id="P1", title="测试鞋", category="跑步鞋", brand="耐克", price=100.0, colors=("黑色", "白色"),
        sizes=("40", "41"), stock=3, rating=4.0, sales=10, tags=("缓震",), description="",
        variant_stock={"黑色/40": 0, "黑色/41": 3, "白色/40": 0, "白色/41": 0},
    )  # fmt: skip
    return Product(**{**fields, **changes})


def write_jsonl(path: Path, rows: Iterable[object]) -> Path:
    # ASCII escapes carry lone surrogates too, which UTF-8 text cannot.
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return path


def write_csv(path: Path, rows: Iterable[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def jsonl_import(tmp_path: Path, *rows: object) -> ImportReport:
    return import_catalog(write_jsonl(tmp_path / "shop.jsonl", rows), BRANDS, CATEGORIES)


def csv_import(tmp_path: Path, *rows: dict[str, str]) -> ImportReport:
    return import_catalog(write_csv(tmp_path / "shop.csv", rows), BRANDS, CATEGORIES)


def valid_row(number: int, **changes: Any) -> dict[str, Any]:
    return {**VALID_ROW, "id": f"SKU{number}", **changes}


# --- the demo catalog -------------------------------------------------------


def test_demo_catalog_loads_every_product_and_category(demo):
    assert len(demo) == 200
    assert len(list(demo)) == 200
    assert demo.categories() == LEAVES
    assert [product.id for product in demo][:2] == ["SKU10001", "SKU10002"]


def test_demo_catalog_passes_the_importer_without_warnings():
    report = import_catalog(DEMO_CATALOG_FILE)
    assert (report.errors, report.warnings, report.rows) == ([], [], 200)


def test_version_is_stable_across_loads_and_follows_the_content(demo):
    again = load_demo_catalog()
    assert again.version == demo.version
    assert len(demo.version) == 16 and set(demo.version) <= set("0123456789abcdef")
    products = list(demo)
    cheaper = [dataclasses.replace(products[0], price=products[0].price - 1), *products[1:]]
    assert Catalog(cheaper, BRANDS, CATEGORIES).version != demo.version
    more_aliases = BrandVocabulary({**BRANDS.aliases, "耐克": (*BRANDS.aliases["耐克"], "耐可")})
    assert Catalog(products, more_aliases, CATEGORIES).version != demo.version
    assert Catalog(products, BRANDS, CATEGORIES).version == demo.version


def test_by_id(demo):
    assert demo.by_id("SKU10001").title == "耐克 Air Zoom Pegasus 40 男子缓震跑步鞋"
    assert demo.by_id("SKU99999") is None


@pytest.mark.parametrize(
    "text, brand",
    [
        ("耐克", "耐克"),
        ("nike", "耐克"),
        ("NIKE", "耐克"),
        ("ＮＩＫＥ", "耐克"),  # full-width, as Chinese input methods type it
        (" Adidas ", "阿迪达斯"),
        ("Levi's", "李维斯"),
        ("levi's", "李维斯"),
        ("LEVIS", "李维斯"),
        ("mac", "MAC"),
        ("iPhone", "苹果"),
        ("不存在的牌子", None),
        ("", None),
    ],
)
def test_canonical_brand(demo, text, brand):
    assert demo.canonical_brand(text) == brand


@pytest.mark.parametrize(
    "word, leaves",
    [
        ("跑步鞋", ("跑步鞋",)),
        ("运动鞋", ("跑步鞋", "篮球鞋", "休闲鞋")),
        ("耳机", ("蓝牙耳机",)),
        ("电脑", ("笔记本电脑",)),
        ("数码", ("手机", "蓝牙耳机", "笔记本电脑", "平板电脑", "智能手表")),
        ("护肤品", ("洗面奶", "面霜")),
        ("裙子", ("连衣裙",)),
        ("t恤", ("T恤",)),
        ("TEE", ("T恤",)),
        ("IPad", ("平板电脑",)),
        ("火箭", ()),
    ],
)
def test_leaf_categories_for(demo, word, leaves):
    assert demo.leaf_categories_for(word) == leaves


def test_conflicting_brand_aliases_are_refused():
    with pytest.raises(ValueError, match="brand alias 'nike' names both '耐克' and '假耐克'"):
        BrandVocabulary({"耐克": ("Nike",), "假耐克": ("nike",)})


def test_duplicate_ids_cannot_make_a_catalog():
    with pytest.raises(ValueError, match="product ids must be unique"):
        Catalog([shoe(), shoe()], BRANDS, CATEGORIES)


# --- products ---------------------------------------------------------------


@pytest.mark.parametrize(
    "color, size, expected",
    [
        (None, None, True),
        ("黑色", None, True),
        ("白色", None, False),  # every 白色 size is sold out
        ("黑色", "41", True),
        ("黑色", "40", False),
        (None, "41", True),
        (None, "40", False),  # sold out in every colour
        ("红色", None, False),  # a colour it does not come in
        ("黑色", "45", False),  # a size it does not come in
    ],
)
def test_in_stock_reads_variant_stock(color, size, expected):
    assert shoe().in_stock(color, size) is expected


def test_in_stock_on_demo_variants(demo):
    pegasus = demo.by_id("SKU10001")
    assert pegasus.in_stock("黑色", "40") is True
    assert pegasus.in_stock("白色", "40") is False


@pytest.mark.parametrize(
    "stock, color, size, expected",
    [(4, None, None, True), (4, "黑色", None, True), (4, "金色", None, False), (4, None, "42", False), (0, "黑色", None, False)],
)
def test_in_stock_without_variants_uses_total_stock(stock, color, size, expected):
    phone = shoe(category="手机", sizes=(), variant_stock={}, stock=stock)
    assert phone.in_stock(color, size) is expected


def test_in_stock_with_colour_only_variants():
    lipstick = shoe(category="口红", sizes=(), colors=("正红", "豆沙"), stock=2, variant_stock={"正红": 2, "豆沙": 0})
    assert (lipstick.in_stock("正红"), lipstick.in_stock("豆沙"), lipstick.in_stock()) == (True, False, True)


def test_to_card_is_exactly_the_contract_card(demo):
    card = demo.by_id("SKU10001").to_card("缓震好，适合日常慢跑")
    assert card == {
        "id": "SKU10001",
        "title": "耐克 Air Zoom Pegasus 40 男子缓震跑步鞋",
        "category": "跑步鞋",
        "brand": "耐克",
        "price": 629.0,
        "image": "/shop/images/running-shoes.svg",
        "colors": ["黑色", "白色", "蓝色"],
        "sizes": ["39", "40", "41", "42", "43", "44", "45"],
        "stock": 86,
        "reason": "缓震好，适合日常慢跑",
    }
    assert list(card) == ["id", "title", "category", "brand", "price", "image", "colors", "sizes", "stock", "reason"]
    assert type(card["colors"]) is list and type(card["sizes"]) is list


def test_products_are_immutable():
    counts = {"黑色/40": 0, "黑色/41": 3, "白色/40": 0, "白色/41": 0}
    product = shoe(colors=["黑色", "白色"], variant_stock=counts)
    counts["黑色/40"] = 9
    assert product.colors == ("黑色", "白色")
    assert product.variant_stock["黑色/40"] == 0
    with pytest.raises(TypeError):
        product.variant_stock["黑色/40"] = 1  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        product.price = 1.0  # type: ignore[misc]
    assert hash(product) == hash(shoe())


# --- importing: round trips -------------------------------------------------


def test_jsonl_round_trip_of_the_demo_catalog(tmp_path, demo):
    lines = [json.dumps(product.to_dict(), ensure_ascii=False) for product in demo]
    path = tmp_path / "demo.jsonl"
    path.write_text("\n\n".join(lines) + "\n  \n", "utf-8")  # blank lines are skipped
    report = import_catalog(path, BRANDS, CATEGORIES)
    assert (report.errors, report.warnings, report.rows) == ([], [], 200)
    assert list(report.catalog) == list(demo)
    assert report.catalog.version == demo.version


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_csv_round_trip(tmp_path, encoding):
    rows = [
        {
            "id": "SHOP-1", "title": "Nike 测试跑鞋", "category": "跑步鞋", "brand": "Nike", "price": "599.5",
            "stock": "6", "colors": "黑色|白色", "sizes": "40，41", "tags": "缓震, 透气",
            "variant_stock": '{"黑色/40": 1, "黑色/41": 2, "白色/40": 0, "白色/41": 3}', "rating": "4.5",
            "sales": "100", "consumable": "否", "description": "第一行\n第二行", "image": "https://shop.example/1.jpg",
        },
        {"id": "SHOP-2", "title": "保湿面霜 50g", "category": "面霜", "brand": "珂润", "price": "128", "stock": "0",
         "consumable": "true"},
    ]  # fmt: skip
    report = import_catalog(write_csv(tmp_path / "shop.csv", rows, encoding), BRANDS, CATEGORIES)
    assert (report.errors, report.warnings, report.rows) == ([], [], 2)
    assert list(report.catalog) == [
        Product(
            id="SHOP-1", title="Nike 测试跑鞋", category="跑步鞋", brand="耐克", price=599.5, colors=("黑色", "白色"),
            sizes=("40", "41"), stock=6, rating=4.5, sales=100, tags=("缓震", "透气"), description="第一行\n第二行",
            image="https://shop.example/1.jpg", consumable=False,
            variant_stock={"黑色/40": 1, "黑色/41": 2, "白色/40": 0, "白色/41": 3},
        ),
        Product(
            id="SHOP-2", title="保湿面霜 50g", category="面霜", brand="珂润", price=128.0, colors=(), sizes=(),
            stock=0, rating=0.0, sales=0, tags=(), description="", consumable=True,
        ),
    ]  # fmt: skip


def test_jsonl_accepts_json_types_and_text_forms(tmp_path):
    report = jsonl_import(
        tmp_path,
        valid_row(1, price=599, stock=3.0, colors=["黑色"], sizes="40|41", variant_stock={"黑色/40": 1, "黑色/41": "2"},
                  consumable=True, rating="4"),
        valid_row(2, price="10000000", title="长" * 200),
    )  # fmt: skip
    assert report.errors == []
    first, second = report.catalog
    assert (first.price, first.stock, first.sizes, dict(first.variant_stock), first.consumable, first.rating) == (
        599.0, 3, ("40", "41"), {"黑色/40": 1, "黑色/41": 2}, True, 4.0,
    )  # fmt: skip
    assert (second.price, len(second.title)) == (10_000_000.0, 200)


# --- importing: validation rules ---------------------------------------------

CATEGORY_LIST = ", ".join(LEAVES)


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"id": ""}, "line 3: id is required"),
        ({"title": "  "}, "line 3: title is required"),
        ({"category": ""}, "line 3: category is required"),
        ({"brand": ""}, "line 3: brand is required"),
        ({"price": ""}, "line 3: price is required"),
        ({"stock": ""}, "line 3: stock is required"),
        ({"price": "-5"}, "line 3: price must be a positive number, got '-5'"),
        ({"price": "0"}, "line 3: price must be a positive number, got '0'"),
        ({"price": "abc"}, "line 3: price must be a positive number, got 'abc'"),
        ({"price": "nan"}, "line 3: price must be a positive number, got 'nan'"),
        ({"price": "inf"}, "line 3: price must be a positive number, got 'inf'"),
        ({"price": "10000000.01"}, "line 3: price must be at most 10000000, got '10000000.01'"),
        ({"stock": "-1"}, "line 3: stock must be a whole number of at least 0, got '-1'"),
        ({"stock": "2.5"}, "line 3: stock must be a whole number of at least 0, got '2.5'"),
        ({"rating": "5.1"}, "line 3: rating must be a number from 0 to 5, got '5.1'"),
        ({"rating": "-0.1"}, "line 3: rating must be a number from 0 to 5, got '-0.1'"),
        ({"sales": "-3"}, "line 3: sales must be a whole number of at least 0, got '-3'"),
        ({"category": "鞋子"}, f"line 3: category must be one of {CATEGORY_LIST}, got '鞋子'"),
        ({"id": "SKU2"}, "line 3: id 'SKU2' is already used on line 2"),
        ({"title": "长" * 201}, "line 3: title is too long (201 characters, at most 200)"),
        ({"colors": "黑色|" + "红" * 51}, f"line 3: colors item '{'红' * 51}' is too long (at most 50 characters)"),
        ({"consumable": "maybe"}, "line 3: consumable must be true or false, got 'maybe'"),
        (
            {"colors": "黑色", "sizes": "40", "variant_stock": '{"黑色/40": -1}'},
            "line 3: variant_stock entry '黑色/40' must be a whole number of at least 0, got -1",
        ),
        (
            {"variant_stock": "{黑色: 1}"},
            """line 3: variant_stock must be a JSON object such as {"黑色/40": 3}, got '{黑色: 1}'""",
        ),
        (
            {"colors": "黑色", "sizes": "40", "variant_stock": '{"红色/40": 1}'},
            "line 3: variant_stock key '红色/40' is not a 颜色/尺码 of the product's colors and sizes",
        ),
        (
            {"colors": "黑色", "variant_stock": '{"黑色/40": 1}'},
            "line 3: variant_stock key '黑色/40' is not a 颜色 of the product's colors and sizes",
        ),
    ],
)
def test_each_csv_rule_names_line_and_field(tmp_path, changes, error):
    # Line 1 is the header, line 2 a good row, line 3 the row under test.
    report = csv_import(tmp_path, valid_row(2), valid_row(3, **changes))
    assert (report.catalog, report.errors, report.rows) == (None, [error], 2)


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"price": -5}, "line 2: price must be a positive number, got -5"),
        ({"price": True}, "line 2: price must be a positive number, got true"),
        ({"price": 1e400}, "line 2: price must be a positive number, got Infinity"),
        ({"stock": 3.5}, "line 2: stock must be a whole number of at least 0, got 3.5"),
        ({"stock": [1]}, "line 2: stock must be a whole number of at least 0, got a list"),
        ({"id": 123}, "line 2: id must be text, got 123"),
        ({"title": None}, "line 2: title is required"),
        ({"colors": ["黑色", 1]}, "line 2: colors must be a list of text, got a list"),
        ({"tags": {"a": 1}}, "line 2: tags must be a list of text, got an object"),
        ({"variant_stock": [1]}, """line 2: variant_stock must be a JSON object such as {"黑色/40": 3}, got a list"""),
        ({"title": "坏\u0007标题"}, "line 2: title contains control characters or invalid Unicode"),
        ({"title": "\ud800"}, "line 2: title contains control characters or invalid Unicode"),
        ({"description": "x" * 5001}, "line 2: description is too long (5001 characters, at most 5000)"),
        ({"price": "x" * 100}, f"line 2: price must be a positive number, got '{'x' * 58}…"),
    ],
)
def test_each_jsonl_type_rule_names_line_and_field(tmp_path, changes, error):
    report = jsonl_import(tmp_path, valid_row(1), valid_row(2, **changes))
    assert (report.catalog, report.errors, report.rows) == (None, [error], 2)


def test_a_row_reports_every_bad_field_at_once(tmp_path):
    report = jsonl_import(tmp_path, valid_row(1, price="-5", stock="-1", category="鞋子", brand=""))
    assert report.errors == [
        "line 1: brand is required",
        "line 1: price must be a positive number, got '-5'",
        "line 1: stock must be a whole number of at least 0, got '-1'",
        f"line 1: category must be one of {CATEGORY_LIST}, got '鞋子'",
    ]


def test_broken_rows_never_return_a_catalog(tmp_path):
    report = jsonl_import(tmp_path, valid_row(1), valid_row(2), valid_row(3, price="免费"), valid_row(4))
    assert report.catalog is None
    assert report.rows == 4
    assert report.errors == ["line 3: price must be a positive number, got '免费'"]


def test_unknown_brands_are_warned_once_and_become_their_own_brand(tmp_path):
    report = jsonl_import(
        tmp_path, valid_row(1, brand="野牛工坊"), valid_row(2, brand="野牛工坊"), valid_row(3, brand="Foo"),
        valid_row(4, brand="FOO"), valid_row(5, brand="NIKE"),
    )  # fmt: skip
    assert report.errors == []
    assert report.warnings == [
        "line 1: brand '野牛工坊' is not a known brand; it is used as its own brand name",
        "line 3: brand 'Foo' is not a known brand; it is used as its own brand name",
    ]
    assert [product.brand for product in report.catalog] == ["野牛工坊", "野牛工坊", "Foo", "Foo", "耐克"]
    assert report.catalog.canonical_brand("foo") == "Foo"
    assert report.catalog.canonical_brand("野牛工坊") == "野牛工坊"
    assert report.catalog.canonical_brand("nike") == "耐克"


def test_unknown_fields_and_stock_mismatch_are_warnings(tmp_path):
    variants = {"colors": ["黑色"], "sizes": ["40"], "variant_stock": {"黑色/40": 2}}
    report = jsonl_import(tmp_path, valid_row(1, colour="黑色"), valid_row(2, colour="白色", **variants))
    assert report.errors == []
    assert report.warnings == [
        "line 1: unknown field 'colour' is ignored",
        "line 2: stock is 5 but variant_stock adds up to 2",
    ]
    assert len(report.catalog) == 2


def test_jsonl_line_problems(tmp_path):
    path = tmp_path / "shop.jsonl"
    path.write_text(
        json.dumps(valid_row(1)) + '\n{"id": \n\n[1, 2]\n' + "[" * 100_000 + "\n" + json.dumps(valid_row(2)) + "\n",
        "utf-8",
    )
    report = import_catalog(path, BRANDS, CATEGORIES)
    assert (report.catalog, report.rows) == (None, 5)
    assert report.errors == [
        "line 2: not valid JSON (Expecting value at column 8)",
        "line 4: expected a JSON object, got a list",
        "line 5: not valid JSON (a number is too long or nesting too deep)",
    ]


def test_csv_line_numbers_count_the_header_and_multiline_cells(tmp_path):
    report = csv_import(tmp_path, valid_row(1, description="一\n二\n三"), valid_row(2, price="-1"))
    assert report.errors == ["line 5: price must be a positive number, got '-1'"]


def test_csv_structure_problems(tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text("id,title,category,brand,price\nSKU1,鞋,跑步鞋,耐克,1\n", "utf-8")
    assert import_catalog(path, BRANDS, CATEGORIES).errors == ["line 1: missing required column(s): stock"]
    path.write_text("id,title,category,brand,price,stock,price\n", "utf-8")
    assert import_catalog(path, BRANDS, CATEGORIES).errors == ["line 1: column(s) appear more than once: price"]
    path.write_text("id,title,category,brand,price,stock\nSKU1,鞋,跑步鞋,耐克,1\n,,,,,\nSKU2,鞋,跑步鞋,耐克,1,2\n", "utf-8")
    report = import_catalog(path, BRANDS, CATEGORIES)
    assert (report.errors, report.rows) == (["line 2: has 5 cells but the header has 6"], 2)
    path.write_text("id,title,category,brand,price,stock\nSKU1,鞋,跑步鞋,耐克,1,2\nSKU2,鞋\x00,跑步鞋,耐克,1,2\n", "utf-8")
    assert import_catalog(path, BRANDS, CATEGORIES).errors == ["line 3: malformed CSV (line contains NUL)"]


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("shop.jsonl", b"", "{path}: the file is empty"),
        ("shop.csv", b" \r\n\n", "{path}: the file is empty"),
        ("shop.csv", b"id,title,category,brand,price,stock\n", "{path}: the file has no product rows"),
        ("shop.jsonl", b'{"id": "SKU1"}\n\xff\xfe\n', "line 2: the file is not UTF-8 text; save it as UTF-8"),
        ("shop.xlsx", b"PK", "{path}: unsupported file type '.xlsx'; use .csv or .jsonl"),
    ],
)
def test_unusable_files_are_reported(tmp_path, name, content, error):
    path = tmp_path / name
    path.write_bytes(content)
    report = import_catalog(path, BRANDS, CATEGORIES)
    assert (report.catalog, report.errors, report.rows) == (None, [error.format(path=path)], 0)


def test_missing_and_unreadable_files_are_reported(tmp_path):
    assert import_catalog(tmp_path / "none.csv").errors == [f"{tmp_path / 'none.csv'}: no such file"]
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    assert import_catalog(folder).errors == [f"{folder}: cannot read (Is a directory)"]


def test_summary_of_a_valid_catalog(tmp_path):
    report = jsonl_import(tmp_path, valid_row(1), valid_row(2, brand="野牛工坊"))
    assert report.summary() == (
        f"Catalog is valid: 2 rows, 0 errors, 1 warning; 2 products in 1 category, version {report.catalog.version}."
    )


def test_summary_of_a_rejected_catalog_shows_the_first_20_errors(tmp_path):
    report = jsonl_import(tmp_path, *(valid_row(n, price="-1") for n in range(1, 26)))
    shown = "; ".join(f"line {n}: price must be a positive number, got '-1'" for n in range(1, 21))
    assert report.summary() == f"Catalog rejected: 25 rows, 25 errors, 0 warnings. Errors: {shown} (and 5 more)."


# --- the command line --------------------------------------------------------


def run_cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.catalog.importer", str(path)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip


def test_cli_accepts_a_valid_catalog(tmp_path):
    path = write_jsonl(tmp_path / "shop.jsonl", [valid_row(1, brand="野牛工坊")])
    result = run_cli(path)
    version = import_catalog(path).catalog.version
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"Catalog is valid: 1 row, 0 errors, 1 warning; 1 product in 1 category, version {version}.\n"
        "warning: line 1: brand '野牛工坊' is not a known brand; it is used as its own brand name\n"
    )


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("missing.jsonl", None, "{path}: no such file"),
        ("latin1.csv", "id,title\né,è\n".encode("latin-1"), "line 2: the file is not UTF-8 text; save it as UTF-8"),
        ("empty.csv", b"", "{path}: the file is empty"),
        ("broken.jsonl", b'{"id": "SKU1", \n', "line 1: not valid JSON (Expecting property name enclosed in double quotes at column 16)"),
        ("bad.csv", "id,title,category,brand,price,stock\nSKU1,鞋,跑步鞋,耐克,-5,1\n".encode(), "line 2: price must be a positive number, got '-5'"),
    ],
)  # fmt: skip
def test_cli_rejects_bad_files_without_a_traceback(tmp_path, name, content, error):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_cli(path)
    assert (result.returncode, result.stderr) == (1, "")
    rows = 0 if content in (None, b"") or name == "latin1.csv" else 1
    assert result.stdout == (
        f"Catalog rejected: {rows} row{'' if rows == 1 else 's'}, 1 error, 0 warnings. "
        f"Errors: {error.format(path=path)}.\n"
    )


# --- malformed input never raises ---------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
CSV_CELLS = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20)
FUZZ_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def assert_consistent(report: ImportReport, catalog_rows: Optional[int] = None) -> None:
    assert isinstance(report, ImportReport)
    assert (report.catalog is None) == bool(report.errors)
    if report.catalog is not None and catalog_rows is not None:
        assert len(report.catalog) == catalog_rows == report.rows
    # Whatever the file held, the report can be printed and logged as UTF-8.
    "\n".join([report.summary(), *report.warnings]).encode("utf-8")


@FUZZ_SETTINGS
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".jsonl", ".csv"]))
def test_random_bytes_never_raise(tmp_path, content, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    assert_consistent(import_catalog(path, BRANDS, CATEGORIES))


@FUZZ_SETTINGS
@given(rows=st.lists(st.dictionaries(st.sampled_from([*FIELDS, "extra"]), JSON_VALUES, max_size=4), max_size=5))
def test_random_json_values_never_raise(tmp_path, rows):
    # Start from valid rows so that a random value reaches every later check.
    report = import_catalog(write_jsonl(tmp_path / "fuzz.jsonl", [{**VALID_ROW, **row} for row in rows]), BRANDS, CATEGORIES)
    assert_consistent(report, len(rows))


@FUZZ_SETTINGS
@given(rows=st.lists(st.fixed_dictionaries({}, optional={name: CSV_CELLS for name in FIELDS}), max_size=5))
def test_random_csv_cells_never_raise(tmp_path, rows):
    report = import_catalog(write_csv(tmp_path / "fuzz.csv", [{**VALID_ROW, **row} for row in rows]), BRANDS, CATEGORIES)
    assert_consistent(report)


@pytest.mark.parametrize("text, brand", [
    ("跟阿迪ultraboost比 哪个穿着舒服", "阿迪达斯"), ("和nike的比呢", "耐克"), ("跟华为的比哪个好", "华为"),
    ("iphone怎么样", "苹果"), ("mini款怎么样", None),  # a Latin alias only as a whole word (mi, 小米's)
    ("这两款哪个好", None),
])
def test_the_brand_a_message_names(text, brand):
    assert BRANDS.named_in(text) == brand


@pytest.mark.parametrize("text, brand, kinds", [
    ("af1 白色 42码有吗", "耐克", ("休闲鞋",)), ("飞马40 有42的吗", "耐克", ("跑步鞋",)),
    ("想看看ub 白色", "阿迪达斯", ("跑步鞋",)), ("老詹的鞋", "耐克", ("篮球鞋",)), ("韦德11", "李宁", ("篮球鞋",)),
    # two Latin words that name a line together (each alone is a brand or several brands' word)
    ("想买个AW送男朋友", "苹果", ("智能手表",)), ("apple watch有吗", "苹果", ("智能手表",)),
])
def test_a_model_called_by_its_nickname_is_its_line(demo, text, brand, kinds):
    assert demo.line_in_words(text) == (brand, kinds)


@pytest.mark.parametrize("text", ["要pro max的", "watch ultra", "小米有pro max吗"])
def test_two_generic_latin_words_name_no_line(demo, text):
    assert demo.line_in_words(text) is None


@pytest.mark.parametrize("name, title", [
    ("af1", "耐克 Air Force 1 '07 空军一号男子小白鞋"), ("飞马40", "耐克 Air Zoom Pegasus 40 男子缓震跑步鞋"),
    ("韦德之道11", "李宁 韦德之道 11 男子高端专业篮球鞋"),  # its own name holds the nickname: left as it is
])
def test_a_model_called_by_its_nickname_is_found_by_name(demo, name, title):
    assert [product.title for product in demo.named(name)] == [title]


def test_a_nickname_inside_another_word_is_none():
    assert with_model_names("tub") == "tub" and with_model_names("club1") == "club1"
