"""io: content ids, input discovery, atomic writes, Parquet/CSV/DuckDB output and queries."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

from pipeline import io
from pipeline.errors import InputError, OutputMissingError, QueryError
from pipeline.io import tablefiles
from pipeline.load import DOCUMENT_LISTS
from pipeline.schema import TABLES


def test_doc_id_is_the_content_hash_prefix():
    assert io.doc_id_of(b"abc") == "ba7816bf8f01cfea"


def test_find_pdfs_searches_folders_and_takes_named_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.PDF").write_bytes(b"%PDF-")
    (tmp_path / "a" / "notes.txt").write_text("no")
    named = tmp_path / "odd-name.bin"
    named.write_bytes(b"junk")
    found = io.find_pdfs([tmp_path / "a", named])
    # shown relative to the common parent of the inputs (issue 14)
    assert sorted(shown for _, shown in found) == ["a/x.PDF", "odd-name.bin"]


def test_find_pdfs_names_a_missing_input(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        io.find_pdfs([tmp_path / "nope"])


def test_atomic_write_leaves_nothing_when_interrupted(tmp_path):
    target = tmp_path / "t.json"
    io.write_json(target, {"v": 1})
    with pytest.raises(RuntimeError), io.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert io.read_json(target) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_tables_are_written_as_parquet_csv_with_bom_and_duckdb(tmp_path):
    rows = [{"doc_id": "d1", "sentence_id": 0, "text": "年度收入", "tokens": ["年度", "收入"],
             "pos": ["n", "n"]}]  # fmt: skip
    table = io.to_arrow(rows, TABLES["sentences"])
    io.write_table(table, tmp_path, "sentences")
    io.write_duckdb(tmp_path, ["sentences"])
    assert (tmp_path / "sentences.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(tmp_path / "sentences.csv", encoding="utf-8-sig")
    assert list(csv.columns) == TABLES["sentences"].names
    assert json.loads(csv.loc[0, "tokens"]) == ["年度", "收入"] and csv.loc[0, "pos"] == "n n"
    assert pd.read_parquet(tmp_path / "sentences.parquet").loc[0, "tokens"].tolist() == [
        "年度",
        "收入",
    ]
    result = io.query(tmp_path, "SELECT text, len(tokens) AS n FROM sentences")
    assert result.to_dict("records") == [{"text": "年度收入", "n": 2}]


def test_csv_tokens_round_trip_as_json_even_a_space_token(tmp_path):
    tokens = ["2021", " ", "年", "a b", '"引号"', ";"]
    rows = [{"doc_id": "d1", "sentence_id": 0, "text": "".join(tokens), "tokens": tokens}]
    io.write_table(io.to_arrow(rows, TABLES["sentences"]), tmp_path, "sentences")
    csv = pd.read_csv(tmp_path / "sentences.csv", encoding="utf-8-sig")
    assert json.loads(csv.loc[0, "tokens"]) == tokens


def test_query_errors_are_one_clear_sentence(tmp_path):
    with pytest.raises(OutputMissingError, match="run `pipeline run"):
        io.query(tmp_path, "SELECT 1")
    io.write_table(io.to_arrow([], TABLES["checks"]), tmp_path, "checks")
    io.write_duckdb(tmp_path, ["checks"])
    with pytest.raises(QueryError, match="the query failed"):
        io.query(tmp_path, "SELECT nope FROM checks")


def test_a_row_key_the_schema_lacks_raises_schema_mismatch_in_tests():
    from pipeline.errors import SchemaMismatchError

    renamed = [{"doc_id": "d1", "sentence_id": 0, "sentence_text": "年度收入"}]
    with pytest.raises(SchemaMismatchError, match="sentence_text"):
        io.to_arrow(renamed, TABLES["sentences"])


def test_a_row_key_the_schema_lacks_is_a_warning_outside_the_tests(monkeypatch, caplog):
    monkeypatch.delenv(io.STRICT_SCHEMA_ENV)
    tablefiles._warn_once.cache_clear()
    for doc_id in ("d1", "d2", "d3"):  # the load stage's rows come a document at a time
        table = io.to_arrow([{"doc_id": doc_id, "sentence_text": "x"}], TABLES["sentences"])
        assert table.num_rows == 1
    assert caplog.text.count("sentence_text") == 1  # one warning, not one per document


def test_csv_cells_are_quoted_against_formulas_and_control_chars_dropped(tmp_path):
    rows = [{"doc_id": "a", "source_path": '=HYPERLINK("http://x","y").pdf',
             "title": "收入\x00合计\x1b[31m9746.50\u202e万元\r\n第二行\t完", "status": "ok"},
            {"doc_id": "b", "source_path": "+cmd.pdf", "title": "@SUM(A1)"},
            {"doc_id": "c", "source_path": "-2+3.pdf", "title": "正常标题"}]  # fmt: skip
    io.write_table(io.to_arrow(rows, TABLES["documents"]), tmp_path, "documents")
    parquet = pd.read_parquet(tmp_path / "documents.parquet")
    cleaned = "收入合计9746.50万元\n第二行\t完"  # the escape sequence goes whole
    assert parquet.title.tolist() == [cleaned, "@SUM(A1)", "正常标题"]
    assert parquet.source_path[0] == '=HYPERLINK("http://x","y").pdf'  # data kept as it is
    csv = pd.read_csv(tmp_path / "documents.csv", encoding="utf-8-sig", dtype=str)
    quoted = ['\'=HYPERLINK("http://x","y").pdf', "'+cmd.pdf", "'-2+3.pdf"]
    assert csv.source_path.tolist() == quoted
    assert csv.title.tolist()[1:] == ["'@SUM(A1)", "正常标题"]
    assert not any(str(v)[:1] in "=+-@\t\r" for v in csv.stack())


def test_a_non_utf8_file_name_is_shown_escaped_and_written_to_json(tmp_path):
    (tmp_path / "in").mkdir()
    raw = bytes(tmp_path / "in") + b"/bad-\xff\xfe-name.pdf"
    with open(raw, "wb") as fh:
        fh.write(b"%PDF-1.4")
    [(path, shown)] = io.find_pdfs([tmp_path / "in"])
    assert shown == "bad-\\xff\\xfe-name.pdf" and path.exists()
    io.write_json(tmp_path / "ids.json", {str(path): [1, 2, 3, "id"]})
    assert io.read_json(tmp_path / "ids.json") == {str(path): [1, 2, 3, "id"]}


def test_a_dangling_or_looping_link_is_skipped_with_a_warning(tmp_path, caplog):
    (tmp_path / "a.pdf").symlink_to("b.pdf")
    (tmp_path / "b.pdf").symlink_to("a.pdf")
    (tmp_path / "dangling.pdf").symlink_to("missing.pdf")
    (tmp_path / "good.pdf").write_bytes(b"%PDF-1.4")
    assert [shown for _, shown in io.find_pdfs([tmp_path])] == ["good.pdf"]
    skipped = sorted(r.getMessage() for r in caplog.records)
    why = "a link that points to nothing or into a loop"
    assert [m.split(": ")[-1] for m in skipped] == [why] * 3
    assert any("dangling.pdf" in m for m in skipped)


def test_csv_numbers_have_no_scientific_notation(tmp_path):
    rows = [{"doc_id": "a", "figure_id": 0, "value": 6.03348e11, "amount": 0.1},
            {"doc_id": "a", "figure_id": 1, "value": -2.3, "amount": None}]  # fmt: skip
    io.write_table(io.to_arrow(rows, TABLES["figures"]), tmp_path, "figures")
    text = (tmp_path / "figures.csv").read_text("utf-8-sig")
    assert "603348000000" in text and "e+" not in text and "-2.3" in text
    back = pd.read_csv(tmp_path / "figures.csv", encoding="utf-8-sig")
    assert back.value.tolist() == [6.03348e11, -2.3]


def test_no_pdf_an_unknown_table_and_an_empty_query_each_raise(tmp_path):
    with pytest.raises(InputError, match="no PDF found in .*left as it was"):
        io.find_pdfs([tmp_path])
    with pytest.raises(OutputMissingError, match="there is no table 'figure'; the tables are"):
        io.read_table(tmp_path, "figure")
    with pytest.raises(QueryError, match="the query is empty"):
        io.query(tmp_path, "  ")


def test_reports_duckdb_uses_storage_version_64_that_duckdb_1_0_reads(tmp_path):
    """DuckDB 2.0's own format would need 2.0 to open; the 1.0 format (storage version 64)
    opens in every client since 1.0 (checked by hand with DuckDB 1.1.3, which is not a
    dependency)."""
    io.write_table(io.to_arrow([{"doc_id": "a", "status": "ok"}], TABLES["documents"]),
                   tmp_path, "documents")  # fmt: skip
    db = io.write_duckdb(tmp_path, ["documents"])
    head = db.read_bytes()[:20]
    assert head[8:12] == b"DUCK" and int.from_bytes(head[12:20], "little") == 64
    assert io.query(tmp_path, "SELECT status FROM documents").status.tolist() == ["ok"]


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 1.0, -2.3, 0.1, 18518.32, 603348000000.0, 1e15, 9.999999999999998e15, 1e16,
     1.5e17, 1e-4, 9.9e-5, 5e-324, 1.7976931348623157e308],
)  # fmt: skip
def test_csv_floats_are_the_shortest_positional_digits_on_either_side_of_repr_switching(value):
    import numpy as np

    column = pa.chunked_array([pa.array([value, None], pa.float64())])
    text, missing = tablefiles.positional(column).to_pylist()
    assert text == np.format_float_positional(value, trim="-")
    assert "e" not in text and float(text) == value and missing is None


def test_tables_gathered_a_document_at_a_time_lose_hidden_characters_in_every_document():
    from pipeline.load import build_tables, document_tables

    def record(doc_id: str, token: str) -> dict:
        data = {name: [] for name in DOCUMENT_LISTS} | {"tables": [], "identity": {}}
        data["sentences"] = [{"sentence_id": 0, "text": f"收入{token}", "tokens": ["收入", token]}]
        data["warnings"] = [f"第{token}页"]
        return {"doc_id": doc_id, "source_path": f"{doc_id}.pdf", "status": "ok", "error": None,
                "n_pages": 1, "data": data}  # fmt: skip

    parts = [document_tables(record("a", "\x00合计")), document_tables(record("b", "\u200b万元"))]
    tables = build_tables(parts, [])
    sentences = tables["sentences"].to_pylist()
    assert [s["tokens"] for s in sentences] == [["收入", "合计"], ["收入", "万元"]]
    assert [s["text"] for s in sentences] == ["收入合计", "收入万元"]
    assert tables["documents"].column("warnings").to_pylist() == [["第合计页"], ["第万元页"]]
