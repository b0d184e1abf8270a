"""Import a shop's own catalog (导入商品目录) from CSV or JSON Lines.

Every row is checked against the catalog contract (shared/spec/catalog-and-cards.md)
and every problem is reported with its line number, so an operator can fix the
whole file in one pass.  A file with any bad row yields no catalog at all: the
running catalog is only ever replaced by a fully valid one.

    python -m bot.catalog.importer my_shop.csv     # exit 0: valid, 1: not

CSV cells are text: list fields (``colors``, ``sizes``, ``tags``) are separated
by ``|``, ``,`` or ``，`` inside the cell, and ``variant_stock`` is JSON text such
as ``{"黑色/40": 3}``.  JSON Lines rows may use JSON types or the same text forms.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Optional, Sequence

from bot.catalog.model import (
    BrandVocabulary,
    Catalog,
    CategoryVocabulary,
    Product,
    fold,
    load_brands,
    load_categories,
    variant_key,
)

MAX_PRICE = 10_000_000
MAX_LIST_ITEM_LENGTH = 50
MAX_ERRORS_IN_SUMMARY = 20
MAX_SHOWN_LENGTH = 60
LIST_SEPARATORS = re.compile(r"[|,，]")
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否"})
# C0/C1 control characters other than tab and newlines, and lone surrogates (only
# reachable through JSON escapes): they break terminals, logs and UTF-8 output.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class ImportReport:
    """Outcome of an import: the catalog only when no row had an error."""

    catalog: Optional[Catalog]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0

    def summary(self) -> str:
        counts = ", ".join(
            (_counted(self.rows, "row"), _counted(len(self.errors), "error"), _counted(len(self.warnings), "warning"))
        )
        if self.catalog is not None:
            return (
                f"Catalog is valid: {counts}; {_counted(len(self.catalog), 'product')} in "
                f"{_counted(len(self.catalog.categories()), 'category', 'categories')}, "
                f"version {self.catalog.version}."
            )
        shown = "; ".join(self.errors[:MAX_ERRORS_IN_SUMMARY])
        hidden = len(self.errors) - MAX_ERRORS_IN_SUMMARY
        more = f" (and {hidden} more)" if hidden > 0 else ""
        return f"Catalog rejected: {counts}. Errors: {shown}{more}."


def _counted(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


class _Invalid(ValueError):
    """A field value breaks a rule; the message follows the field name."""


class _Unreadable(Exception):
    """The file cannot be read as catalog text at all."""


def _shown(value: object) -> str:
    """A short, printable rendering of a bad value for an error message."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        # JSON escaping makes control characters visible; the quotes are ours.
        text = "'" + json.dumps(value, ensure_ascii=False)[1:-1] + "'"
    else:
        text = json.dumps(value)
    if len(text) > MAX_SHOWN_LENGTH:
        text = text[: MAX_SHOWN_LENGTH - 1] + "…"
    # Lone surrogates (from JSON escapes) cannot be printed or encoded as UTF-8.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> Optional[float]:
    """A finite number from a JSON number or its text, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _clean_text(value: str) -> str:
    if UNPRINTABLE.search(value):
        raise _Invalid("contains control characters or invalid Unicode")
    return value.strip()


def _text(max_length: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if not isinstance(value, str):
            raise _Invalid(f"must be text, got {_shown(value)}")
        text = _clean_text(value)
        if len(text) > max_length:
            raise _Invalid(f"is too long ({len(text)} characters, at most {max_length})")
        return text

    return parse


def _price(value: object) -> float:
    number = _number(value)
    if number is None or number <= 0:
        raise _Invalid(f"must be a positive number, got {_shown(value)}")
    if number > MAX_PRICE:
        raise _Invalid(f"must be at most {MAX_PRICE}, got {_shown(value)}")
    return number


def _count(value: object) -> int:
    number = _number(value)
    if number is None or number < 0 or not number.is_integer():
        raise _Invalid(f"must be a whole number of at least 0, got {_shown(value)}")
    return int(number)


def _rating(value: object) -> float:
    number = _number(value)
    if number is None or not 0 <= number <= 5:
        raise _Invalid(f"must be a number from 0 to 5, got {_shown(value)}")
    return number


def _text_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = LIST_SEPARATORS.split(value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid(f"must be a list of text, got {_shown(value)}")
    items = tuple(item for item in (_clean_text(item) for item in value) if item)
    too_long = next((item for item in items if len(item) > MAX_LIST_ITEM_LENGTH), None)
    if too_long is not None:
        raise _Invalid(f"item {_shown(too_long)} is too long (at most {MAX_LIST_ITEM_LENGTH} characters)")
    return items


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else None
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise _Invalid(f"must be true or false, got {_shown(value)}")


def _variant_counts(value: object) -> dict[str, int]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            pass  # still text, so rejected just below showing that text
    if not isinstance(value, dict):
        raise _Invalid(f'must be a JSON object such as {{"黑色/40": 3}}, got {_shown(value)}')
    counts = {}
    for key, count in value.items():
        try:
            counts[key] = _count(count)
        except _Invalid as error:
            raise _Invalid(f"entry {_shown(key)} {error}") from None
    return counts


@dataclass(frozen=True)
class _Field:
    parse: Callable[[object], object]
    required: bool = False
    default: object = None


FIELDS: Mapping[str, _Field] = {
    "id": _Field(_text(64), required=True),
    "title": _Field(_text(200), required=True),
    "category": _Field(_text(64), required=True),
    "brand": _Field(_text(64), required=True),
    "price": _Field(_price, required=True),
    "stock": _Field(_count, required=True),
    "colors": _Field(_text_list, default=()),
    "sizes": _Field(_text_list, default=()),
    "variant_stock": _Field(_variant_counts, default={}),
    "rating": _Field(_rating, default=0.0),
    "sales": _Field(_count, default=0),
    "tags": _Field(_text_list, default=()),
    "consumable": _Field(_flag, default=False),
    "description": _Field(_text(5000), default=""),
    "image": _Field(_text(2048), default=""),
}
REQUIRED_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.required)


def _at(line: int, message: str) -> str:
    return f"line {line}: {message}"


class _RowChecker:
    """Turns raw rows into products, remembering what earlier rows said (ids, brands, unknown fields)."""

    def __init__(self, brands: BrandVocabulary, categories: CategoryVocabulary, report: ImportReport):
        self.brands = brands
        self.categories = categories
        self.report = report
        self.id_lines: dict[str, int] = {}
        # A shop's own brands, by lookup key, so that "Foo" and "FOO" become one brand.
        self.own_brands: dict[str, str] = {}
        self.unknown_fields: set[str] = set()

    def check(self, line: int, row: Mapping[str, object]) -> Optional[Product]:
        errors_before = len(self.report.errors)
        self._warn_unknown_fields(line, row)
        values = self._parse_fields(line, row)
        if "id" in values:
            self._check_unique_id(line, values["id"])
        if "category" in values and values["category"] not in self.categories.leaves:
            leaves = ", ".join(self.categories.leaves)
            self.report.errors.append(_at(line, f"category must be one of {leaves}, got {_shown(values['category'])}"))
        if {"colors", "sizes", "variant_stock"} <= values.keys():
            self._check_variant_keys(line, values)
        if {"stock", "variant_stock"} <= values.keys():
            self._check_variant_total(line, values)
        if "brand" in values:
            values["brand"] = self._canonical_brand(line, values["brand"])
        if len(self.report.errors) > errors_before:
            return None
        return Product(**values)

    def _warn_unknown_fields(self, line: int, row: Mapping[str, object]) -> None:
        for name in row:
            if name not in FIELDS and name not in self.unknown_fields:
                self.unknown_fields.add(name)
                self.report.warnings.append(_at(line, f"unknown field {_shown(name)} is ignored"))

    def _parse_fields(self, line: int, row: Mapping[str, object]) -> dict[str, object]:
        values: dict[str, object] = {}
        for name, spec in FIELDS.items():
            value = row.get(name)
            if _is_missing(value):
                if spec.required:
                    self.report.errors.append(_at(line, f"{name} is required"))
                else:
                    values[name] = spec.default
                continue
            try:
                values[name] = spec.parse(value)
            except _Invalid as error:
                self.report.errors.append(_at(line, f"{name} {error}"))
        return values

    def _check_unique_id(self, line: int, product_id: str) -> None:
        first = self.id_lines.setdefault(product_id, line)
        if first != line:
            self.report.errors.append(_at(line, f"id {_shown(product_id)} is already used on line {first}"))

    def _check_variant_keys(self, line: int, values: Mapping[str, object]) -> None:
        # Product.in_stock finds variants by these keys: any other key would be stock nobody can buy.
        sizes: Sequence[Optional[str]] = values["sizes"] or (None,)
        allowed = {variant_key(color, size) for color in values["colors"] for size in sizes}
        wrong = next((key for key in values["variant_stock"] if key not in allowed), None)
        if wrong is not None:
            form = "颜色/尺码" if values["sizes"] else "颜色"
            self.report.errors.append(
                _at(line, f"variant_stock key {_shown(wrong)} is not a {form} of the product's colors and sizes")
            )

    def _check_variant_total(self, line: int, values: Mapping[str, object]) -> None:
        total = sum(values["variant_stock"].values())
        if values["variant_stock"] and total != values["stock"]:
            self.report.warnings.append(_at(line, f"stock is {values['stock']} but variant_stock adds up to {total}"))

    def _canonical_brand(self, line: int, brand: str) -> str:
        known = self.brands.canonical(brand)
        if known is not None:
            return known
        if fold(brand) not in self.own_brands:
            self.own_brands[fold(brand)] = brand
            self.report.warnings.append(
                _at(line, f"brand {_shown(brand)} is not a known brand; it is used as its own brand name")
            )
        return self.own_brands[fold(brand)]


def _read_text(path: Path) -> str:
    """The file as text, without a byte-order mark."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _Unreadable(f"{path}: no such file") from None
    except OSError as error:
        raise _Unreadable(f"{path}: cannot read ({error.strerror or error})") from None
    data = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _Unreadable(_at(line, "the file is not UTF-8 text; save it as UTF-8")) from None
    if not text.strip():
        raise _Unreadable(f"{path}: the file is empty")
    return text


def _jsonl_rows(text: str, report: ImportReport) -> Iterator[tuple[int, Mapping[str, object]]]:
    # Split on "\n" only: JSON strings may hold U+2028 and friends, which str.splitlines() would cut.
    for line, content in enumerate(text.split("\n"), start=1):
        if not content.strip():
            continue
        report.rows += 1
        try:
            row = json.loads(content)
        except json.JSONDecodeError as error:
            report.errors.append(_at(line, f"not valid JSON ({error.msg} at column {error.colno})"))
            continue
        except (ValueError, RecursionError):
            report.errors.append(_at(line, "not valid JSON (a number is too long or nesting too deep)"))
            continue
        if isinstance(row, dict):
            yield line, row
        else:
            report.errors.append(_at(line, f"expected a JSON object, got {_shown(row)}"))


def _csv_header_problem(header: Sequence[str]) -> Optional[str]:
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        return f"column(s) appear more than once: {', '.join(repeated)}"
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        return f"missing required column(s): {', '.join(missing)}"
    return None


def _csv_rows(text: str, report: ImportReport) -> Iterator[tuple[int, Mapping[str, object]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        problem = _csv_header_problem(header)
        if problem is not None:
            report.errors.append(_at(1, problem))
            return
        line = reader.line_num + 1  # where the next record starts: a quoted cell may span lines
        for cells in reader:
            if any(cell.strip() for cell in cells):  # spreadsheets leave rows of empty cells
                report.rows += 1
                if len(cells) == len(header):
                    yield line, dict(zip(header, cells))
                else:
                    report.errors.append(_at(line, f"has {len(cells)} cells but the header has {len(header)}"))
            line = reader.line_num + 1
    except csv.Error as error:
        report.errors.append(_at(reader.line_num, f"malformed CSV ({error})"))


ROW_READERS: Mapping[str, Callable[[str, ImportReport], Iterator[tuple[int, Mapping[str, object]]]]] = {
    ".csv": _csv_rows,
    ".jsonl": _jsonl_rows,
}


def import_catalog(
    path: Path,
    brands: Optional[BrandVocabulary] = None,
    categories: Optional[CategoryVocabulary] = None,
) -> ImportReport:
    """Read and check a catalog file; never raises for bad file content."""
    path = Path(path)
    report = ImportReport(catalog=None)
    read_rows = ROW_READERS.get(path.suffix.lower())
    if read_rows is None:
        report.errors.append(f"{path}: unsupported file type {path.suffix!r}; use .csv or .jsonl")
        return report
    try:
        text = _read_text(path)
    except _Unreadable as error:
        report.errors.append(str(error))
        return report
    brands = brands if brands is not None else load_brands()
    categories = categories if categories is not None else load_categories()
    checker = _RowChecker(brands, categories, report)
    products = [product for line, row in read_rows(text, report) if (product := checker.check(line, row)) is not None]
    if report.rows == 0 and not report.errors:
        report.errors.append(f"{path}: the file has no product rows")
    if not report.errors:
        report.catalog = Catalog(products, brands, categories)
    return report


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Check a shop's catalog file (.csv or .jsonl).")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    # A console that cannot show Chinese still gets the report rather than a traceback.
    sys.stdout.reconfigure(errors="backslashreplace")
    report = import_catalog(args.file)
    print(report.summary())
    for warning in report.warnings:
        print(f"warning: {warning}")
    return 0 if report.catalog is not None else 1


if __name__ == "__main__":
    sys.exit(main())
