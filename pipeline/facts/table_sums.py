"""The sums a table's 科目编码 promise: each 类 the sum of its 款, each 款 of its 项, and the
合计 row of its 类 rows, each printed number allowed the rounding of its last digit."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.figures.tables import NUMBER

TOTAL_LABEL = re.compile(r"^(?:合计|总计)$")


def code_sums(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return, for every 类 and 款 of a table column that has rows under it, and for its 合计
    row over the 类 rows, the printed amount beside the sum of the rows under it. `tolerance`
    allows each printed number to be rounded to its last digit."""
    columns: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for value in values:
        if value["amount"] is not None and NUMBER.match(value["text"]):
            columns.setdefault((value["table_id"], value["col"]), []).append(value)
    sums = []
    for cells in columns.values():
        coded = [v for v in cells if v["code"]]
        for parent in cells:
            if parent["code"]:
                rows = [v for v in coded if v["parent_code"] == parent["code"]]
            elif TOTAL_LABEL.match(parent["row_label"] or "") and coded:
                rows = [v for v in coded if v["code_level"] == 1]
            else:
                continue
            if rows:
                sums.append(_sum(parent, rows))
    return sums


def _sum(parent: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(Decimal(v["text"].replace(",", "")) for v in rows)
    step = max(_last_digit(v["text"]) for v in [parent, *rows])
    tolerance = step / 2 * (len(rows) + 1)
    return {
        "table_id": parent["table_id"],
        "page_no": parent["page_no"],
        "col": parent["col"],
        "code": parent["code"],
        "row_label": parent["row_label"],
        "printed": parent["amount"],
        "rows_sum": float(total),
        "n_rows": len(rows),
        "tolerance": float(tolerance),
        "ok": abs(Decimal(parent["text"].replace(",", "")) - total) <= tolerance,
    }


def _last_digit(text: str) -> Decimal:
    """Return the value of a printed number's last digit: 0.01 for 12.34, 1 for 1,234."""
    decimals = len(text.partition(".")[2])
    return Decimal(1).scaleb(-decimals)
