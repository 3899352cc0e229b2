"""The vectorised batch pipeline: read → standardise → quality-check → shape records.

Pure Polars, no database: services load the dictionary, mappings and rules and pass them in as
plain specs, so the benchmark runs the very same code. A row failing an error-severity rule is
rejected with its reasons; nothing is dropped silently.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from dfsp.datahub.catalogue import CATEGORIES

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"
ROW = "__row"


class PipelineError(Exception):
    """The batch as a whole cannot be read (encoding, missing columns, unreadable file)."""


@dataclass(frozen=True)
class ElementSpec:
    code: str
    data_type: str
    fmt: str = ""
    code_values: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleSpec:
    code: str
    kind: str
    element: str
    params: dict = field(default_factory=dict)
    severity: str = "error"
    warn_below: float = 99.0
    error_below: float = 95.0
    name: str = ""


DIMENSION = {
    "completeness": "completeness",
    "format": "validity",
    "uscc": "validity",
    "id_number": "validity",
    "range": "validity",
    "code_set": "conformity",
    "uniqueness": "uniqueness",
    "consistency": "consistency",
    "timeliness": "timeliness",
    "standardisation": "conformity",
}


# --- Reading ---------------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or GBK/GB18030, detected by strict decoding."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise PipelineError("The file is neither UTF-8 nor GBK text.") from None


def read_table(path: Path, file_name: str) -> tuple[pl.DataFrame, str, list[dict]]:
    """Every column as text, plus a row number. Returns (frame, encoding, malformed rows)."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path), "xlsx", []
    raw = path.read_bytes()
    text, encoding = decode(raw)
    if suffix in (".json", ".jsonl"):
        return _read_json(text), encoding, []
    if suffix not in (".csv", ".txt"):
        raise PipelineError("Unsupported file type (CSV, XLSX or JSON expected).")
    data = text.encode("utf-8") if encoding != "utf-8" or raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        frame = pl.read_csv(data, infer_schema=False, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError:
        return _read_csv_tolerant(text)
    return frame.with_row_index(ROW, offset=2), encoding, []


def _read_csv_tolerant(text: str) -> tuple[pl.DataFrame, str, list[dict]]:
    """Slow path for malformed CSV: rows with the wrong number of fields are rejected one by one."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise PipelineError("The file is empty.") from None
    good: list[list] = []
    malformed: list[dict] = []
    for number, values in enumerate(reader, start=2):
        if not values:
            continue
        if len(values) != len(header):
            malformed.append(
                {
                    "row": number,
                    "raw": {"line": ",".join(values)[:500]},
                    "reason": f"malformed row: {len(values)} fields, {len(header)} expected",
                }
            )
            continue
        good.append([number, *values])
    columns = [ROW, *header]
    frame = pl.DataFrame(good, schema=columns, orient="row") if good else pl.DataFrame(schema=columns)
    frame = frame.with_columns(pl.col(ROW).cast(pl.UInt32), *[pl.col(c).cast(pl.String) for c in header])
    return frame, "utf-8", malformed


def _read_json(text: str) -> pl.DataFrame:
    try:
        payload = json.loads(text)
        items = payload.get("items", []) if isinstance(payload, dict) else payload
    except ValueError:
        try:  # JSON lines
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            raise PipelineError("The JSON document cannot be read.") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise PipelineError("The JSON document must be a list of objects.")
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    rows = [{c: (None if item.get(c) is None else str(item.get(c))) for c in columns} for item in items]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))
    return frame.with_row_index(ROW, offset=1)


def _read_xlsx(path: Path) -> pl.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise PipelineError("The workbook cannot be read.") from None
    rows = book.active.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    if not header:
        raise PipelineError("The file is empty.")
    data = [
        [None if v is None else (v.isoformat()[:10] if isinstance(v, date) else str(v)) for v in r]
        for r in rows
    ]
    book.close()
    frame = pl.DataFrame(data, schema=dict.fromkeys(header, pl.String), orient="row")
    return frame.with_row_index(ROW, offset=2)


# --- Standardisation -------------------------------------------------------------------------------


def standardise(
    frame: pl.DataFrame,
    *,
    mappings: dict[str, str],
    value_maps: dict[str, dict],
    elements: dict[str, ElementSpec],
    required: tuple[str, ...],
) -> tuple[pl.DataFrame, dict]:
    """Rename source fields to elements and normalise values by type.

    Returns the standard frame (one column per element plus ``<element>__raw`` where a value
    could not be standardised) and a report of missing/ignored columns.
    """
    present = [c for c in frame.columns if c != ROW]
    used: dict[str, str] = {}
    for source_field in present:
        element = mappings.get(source_field)
        if element and element not in used.values():
            used[source_field] = element
    missing = [e for e in required if e not in used.values()]
    if missing:
        raise PipelineError("Missing columns: " + ", ".join(missing))
    ignored = sorted(set(present) - set(used))
    exprs = [pl.col(ROW)]
    for source_field, element in used.items():
        spec = elements.get(element, ElementSpec(element, "string"))
        col = pl.col(source_field).str.strip_chars()
        col = pl.when(col == "").then(None).otherwise(col)
        if value_maps.get(element):
            col = col.replace(value_maps[element])
        exprs.append(_typed(col, spec).alias(element))
        if spec.data_type in ("date", "decimal", "integer", "period"):
            exprs.append(col.alias(element + "__raw"))
    standard = frame.select(exprs)
    for element in required:
        if element not in standard.columns:
            standard = standard.with_columns(pl.lit(None, dtype=pl.String).alias(element))
    return standard, {"ignored_columns": ignored, "mapped_columns": sorted(used)}


def _typed(col: pl.Expr, spec: ElementSpec) -> pl.Expr:
    """Normalise to the standard's text form (values are stored as text in the fact table)."""
    if spec.data_type == "date":
        digits = col.str.replace_all(r"[/.年月]", "-").str.replace(r"日$", "")
        compact = (
            pl.when(digits.str.contains(r"^\d{8}$"))
            .then(
                pl.concat_str(
                    [digits.str.slice(0, 4), digits.str.slice(4, 2), digits.str.slice(6, 2)], separator="-"
                )
            )
            .otherwise(digits)
        )
        return compact.str.to_date("%Y-%m-%d", strict=False).cast(pl.String)
    if spec.data_type == "period":
        text = col.str.replace_all(r"[/.年]", "-").str.replace(r"月$", "")
        text = (
            pl.when(text.str.contains(r"^\d{6}$"))
            .then(pl.concat_str([text.str.slice(0, 4), text.str.slice(4, 2)], separator="-"))
            .otherwise(text)
        )
        return pl.when(text.str.contains(r"^\d{4}-(0[1-9]|1[0-2])$")).then(text).otherwise(None)
    if spec.data_type == "decimal":
        return (
            col.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False).round(2).cast(pl.String)
        )
    if spec.data_type == "integer":
        return col.str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False).cast(pl.String)
    if spec.data_type == "code":
        return col.str.strip_chars()
    if spec.code == "uscc" or spec.code.endswith("_id"):
        return col.str.to_uppercase().str.replace_all(r"\s", "")
    return col


# --- Quality rules compiled to expressions ------------------------------------------------------------


def _weighted_sum(col: pl.Expr, width: int, weights, value_of) -> pl.Expr:
    """Σ value(char_i) × weight_i over fixed-width ASCII strings, on the raw bytes (no per-char strings).

    Strings of another byte length get a sum of -1 (they fail the shape test anyway).
    """
    ok = col.str.len_bytes() == width
    padded = pl.when(ok).then(col).otherwise(pl.lit("0" * width))
    codes = padded.cast(pl.Binary).bin.reinterpret(dtype=pl.Array(pl.UInt8, width))
    terms = [value_of(codes.arr.get(i).cast(pl.Int64)) * w for i, w in enumerate(weights) if w]
    return pl.when(ok).then(pl.sum_horizontal(terms)).otherwise(-1)


_USCC_VALUES = [USCC_ALPHABET.find(chr(code)) for code in range(256)]  # -1 outside the alphabet


def _uscc_char_value(c: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(_USCC_VALUES, dtype=pl.Int64)).gather(c)


_RIC_VALUES = [("0123456789" + "X").find(chr(code)) for code in range(256)]


def _ric_char_value(c: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(_RIC_VALUES, dtype=pl.Int64)).gather(c)


def uscc_valid_expr(col: pl.Expr) -> pl.Expr:
    """GB 32100 check character, vectorised.

    check = (31 - Σ v_i·w_i mod 31) mod 31, i.e. the code is valid iff Σ v_i·w_i + v_check ≡ 0 (mod 31).
    """
    total = _weighted_sum(col, 18, (*USCC_WEIGHTS, 1), _uscc_char_value)
    shape = col.str.contains(r"^[1-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")
    return shape & (total % 31 == 0)


def id_number_valid_expr(col: pl.Expr) -> pl.Expr:
    """GB 11643 resident ID number: plausible date of birth and ISO 7064 MOD 11-2 check (Σ ≡ 1 mod 11)."""
    total = _weighted_sum(col, 18, (*RIC_WEIGHTS, 1), _ric_char_value)
    birth = col.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    return col.str.contains(r"^\d{17}[\dX]$") & (total % 11 == 1) & birth.is_not_null()


_OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _operand(spec, dtype: str, today: date) -> pl.Expr:
    if spec == "today":
        return pl.lit(today)
    if isinstance(spec, str) and spec.startswith("$"):
        col = pl.col(spec[1:])
        return (
            col.str.to_date("%Y-%m-%d", strict=False)
            if dtype == "date"
            else col.cast(pl.Float64, strict=False)
        )
    return pl.lit(spec)


def compile_rule(rule: RuleSpec, columns: list[str], *, today: date) -> pl.Expr | None:
    """A boolean expression, True where the row passes. Nulls pass every rule but completeness."""
    if rule.element not in columns and rule.kind != "uniqueness":
        return None
    col = pl.col(rule.element) if rule.element in columns else None
    p = rule.params
    if rule.kind == "completeness":
        expr = col.is_not_null()
    elif rule.kind == "format":
        expr = col.str.contains(p["pattern"])
    elif rule.kind == "uscc":
        expr = uscc_valid_expr(col)
    elif rule.kind == "id_number":
        expr = id_number_valid_expr(col)
    elif rule.kind == "code_set":
        expr = col.is_in(list(p.get("values", [])))
    elif rule.kind == "range":
        number = col.cast(pl.Float64, strict=False)
        expr = pl.lit(True)
        if p.get("min") is not None:
            expr = expr & (number >= p["min"])
        if p.get("max") is not None:
            expr = expr & (number <= p["max"])
    elif rule.kind == "uniqueness":
        keys = [k for k in p.get("columns", [rule.element]) if k in columns]
        if not keys:
            return None
        return ~pl.struct(keys).is_duplicated()
    elif rule.kind == "consistency":
        dtype = p.get("type", "date")
        left = (
            col.str.to_date("%Y-%m-%d", strict=False)
            if dtype == "date"
            else col.cast(pl.Float64, strict=False)
        )
        right = _operand(p["right"], dtype, today)
        expr = _OPS[p.get("op", "<=")](left, right)
        when = p.get("when")
        if when and when.get("element") in columns:
            expr = ~pl.col(when["element"]).is_in(when["in"]) | expr
    elif rule.kind == "timeliness":
        oldest = today - timedelta(days=int(p.get("max_age_days", 730)))
        if p.get("type") == "period":
            expr = col >= oldest.strftime("%Y-%m")
        else:
            expr = col.str.to_date("%Y-%m-%d", strict=False) >= pl.lit(oldest)
    else:
        return None
    return expr.fill_null(True)


def check(
    standard: pl.DataFrame, rules: list[RuleSpec], *, today: date | None = None
) -> tuple[pl.DataFrame, list[dict]]:
    """Evaluate every rule column-wise. Returns the frame with ``__pass_<rule>`` columns and stats."""
    today = today or date.today()
    columns = standard.columns
    compiled = []
    for rule in rules:
        expr = compile_rule(rule, columns, today=today)
        if expr is not None:
            compiled.append((rule, expr.alias("__pass_" + rule.code)))
    # Values present in the source but not standardisable (bad dates, numbers) fail conformity.
    for raw in [c for c in columns if c.endswith("__raw")]:
        element = raw[: -len("__raw")]
        rule = RuleSpec("std-" + element, "standardisation", element, name=f"{element}: not a valid value")
        compiled.append(
            (rule, (pl.col(raw).is_null() | pl.col(element).is_not_null()).alias("__pass_" + rule.code))
        )
    checked = standard.with_columns([e for _, e in compiled])
    total = checked.height
    passed = (
        checked.select([pl.col("__pass_" + r.code).sum() for r, _ in compiled]).row(0) if compiled else ()
    )
    stats = []
    for (rule, _), ok in zip(compiled, passed, strict=True):
        rate = 100.0 if total == 0 else round(100.0 * ok / total, 2)
        level = "error" if rate < rule.error_below else "warn" if rate < rule.warn_below else "ok"
        stats.append(
            {
                "rule": rule.code,
                "name": rule.name or rule.code,
                "kind": rule.kind,
                "dimension": DIMENSION[rule.kind],
                "severity": rule.severity,
                "checked": total,
                "failed": total - ok,
                "pass_rate": rate,
                "level": level,
            }
        )
    return checked, stats


def split(checked: pl.DataFrame, stats: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(accepted rows, failing rows with ``__reasons`` and ``__rejected``)."""
    pass_cols = {s["rule"]: "__pass_" + s["rule"] for s in stats}
    error_cols = [pass_cols[s["rule"]] for s in stats if s["severity"] == "error"]
    rejected = ~pl.all_horizontal(error_cols) if error_cols else pl.lit(False)
    any_fail = ~pl.all_horizontal(list(pass_cols.values())) if pass_cols else pl.lit(False)
    names = {s["rule"]: s["name"] for s in stats}
    reasons = (
        pl.concat_list(
            [
                pl.when(~pl.col(c)).then(pl.lit(f"{rule}: {names[rule]}")).otherwise(None)
                for rule, c in pass_cols.items()
            ]
        ).list.drop_nulls()
        if pass_cols
        else pl.lit([], dtype=pl.List(pl.String))
    )
    marked = checked.with_columns(rejected.alias("__rejected"), any_fail.alias("__failing"))
    failing = marked.filter(pl.col("__failing")).with_columns(reasons.alias("__reasons"))
    accepted = marked.filter(~pl.col("__rejected"))
    return accepted, failing


def scores(stats: list[dict]) -> dict:
    """Score per dimension = mean pass rate of its rules; overall = mean of dimensions."""
    by_dim: dict[str, list[float]] = {}
    for s in stats:
        by_dim.setdefault(s["dimension"], []).append(s["pass_rate"])
    dims = {d: round(sum(v) / len(v), 2) for d, v in by_dim.items()}
    overall = round(sum(dims.values()) / len(dims), 2) if dims else 100.0
    return {"dimensions": dims, "overall": overall}


# --- Shaping into credit records ---------------------------------------------------------------------


def to_records(accepted: pl.DataFrame, category: str) -> pl.DataFrame:
    """One row per record: uscc, record_key, period, code, amount, event_date, data (JSON), row_hash."""
    spec = CATEGORIES[category]
    elements = [e for e in spec.elements if e in accepted.columns]
    key = [pl.col(k).fill_null("") for k in spec.key if k in accepted.columns]
    record_key = pl.concat_str(key, separator="|") if key else pl.lit("")
    data = pl.struct([pl.col(e) for e in elements]).struct.json_encode() if elements else pl.lit("{}")

    def opt(name: str, dtype=pl.String) -> pl.Expr:
        return (
            pl.col(name).cast(dtype, strict=False)
            if name and name in accepted.columns
            else pl.lit(None, dtype=dtype)
        )

    frame = accepted.select(
        pl.col("uscc"),
        record_key.alias("record_key"),
        opt(spec.period).fill_null("").alias("period"),
        opt(spec.code).fill_null("").str.slice(0, 32).alias("code"),
        opt(spec.amount, pl.Float64).alias("amount"),
        opt(spec.event_date).str.to_date(strict=False).alias("event_date"),
        data.alias("data"),
    )
    # Last occurrence of a natural key in a batch wins (uniqueness rules report duplicates).
    frame = frame.unique(subset=["uscc", "record_key"], keep="last", maintain_order=True)
    return frame.with_columns(
        pl.concat_str([pl.col("data"), pl.col("record_key")])
        .hash(seed=20260)
        .cast(pl.String)
        .str.slice(0, 32)
        .alias("row_hash")
    )


def failing_rows(failing: pl.DataFrame, category: str) -> list[dict]:
    spec = CATEGORIES[category]
    keys = [k for k in spec.key if k in failing.columns]
    out = []
    value_cols = [c for c in failing.columns if not c.startswith("__") and c != ROW]
    for row in failing.select([ROW, "__rejected", "__reasons", *value_cols]).iter_rows(named=True):
        raw = {c: row[c] for c in value_cols if not c.endswith("__raw")}
        for c in value_cols:
            if c.endswith("__raw") and row[c] is not None:
                raw[c[: -len("__raw")]] = row[c]
        out.append(
            {
                "row": row[ROW],
                "uscc": (row.get("uscc") or "")[:40],
                "rejected": row["__rejected"],
                "record_key": "|".join(str(row.get(k) or "") for k in keys)[:120],
                "reasons": row["__reasons"],
                "raw": raw,
            }
        )
    return out
