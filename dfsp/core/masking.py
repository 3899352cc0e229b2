"""Display masking of personal data (DATA-3). Used by every module that shows such values.

The data platform builds on these with sensitivity- and role-driven rules; these functions are
the fixed display formats (mobile 3+4, bank card 6+4, ID number 6+4, names, addresses).
"""

STAR = "*"
# Stripped identically by the scalar and the Polars variants (Python and Rust disagree on what
# counts as Unicode whitespace, so the set is explicit).
BLANKS = " \t\n\r\f\v\xa0\u3000"


def mask_mobile(value: str | None) -> str:
    """13804590001 -> 138****0001."""
    value = (value or "").strip(BLANKS)
    if len(value) < 7:
        return STAR * len(value)
    return value[:3] + STAR * (len(value) - 7) + value[-4:]


def mask_id_number(value: str | None) -> str:
    """230602199001011234 -> 230602********1234."""
    value = (value or "").strip(BLANKS)
    if len(value) <= 10:
        return STAR * len(value)
    return value[:6] + STAR * (len(value) - 10) + value[-4:]


def mask_bank_card(value: str | None) -> str:
    """6222021234567890123 -> 622202*********0123."""
    value = (value or "").strip(BLANKS).replace(" ", "")
    if len(value) <= 10:
        return STAR * len(value)
    return value[:6] + STAR * (len(value) - 10) + value[-4:]


def mask_name(value: str | None) -> str:
    """王建国 -> 王**; 李明 -> 李*."""
    value = (value or "").strip(BLANKS)
    if len(value) <= 1:
        return STAR * len(value)
    return value[0] + STAR * (len(value) - 1)


def mask_address(value: str | None, keep: int = 6) -> str:
    """Keep the leading administrative part, hide the street and number."""
    value = (value or "").strip(BLANKS)
    if len(value) <= keep:
        return value
    return value[:keep] + STAR * 4


# --- Sensitivity- and role-driven masking (DATA-3) ----------------------------------------------
# One engine for pages, API and exports. The data platform stores versioned policies (the
# ``rules`` dict below) and each data element's sensitivity level (JR/T 0197, 1–5) and masking
# kind; every module calls ``mask_for_display`` / ``mask_frame`` with them.

CLEAR = "clear"
MASK = "mask"
SUPPRESS = "suppress"
PSEUDONYMISE = "pseudonymise"
GENERALISE = "generalise"
SUPPRESSED = "——"

MASKERS = {
    "mobile": mask_mobile,
    "id_number": mask_id_number,
    "bank_card": mask_bank_card,
    "name": mask_name,
    "address": mask_address,
}

# Display policy: per sensitivity level, the action for each role ("*" for any other viewer).
DEFAULT_POLICY: dict = {
    "version": "2026.1",
    "levels": {
        "1": {"*": CLEAR},
        "2": {"operator": CLEAR, "regulator": CLEAR, "*": MASK},
        "3": {"*": MASK},
        "4": {"*": MASK},
        "5": {"*": SUPPRESS},
    },
}


def mask_generic(value: str | None) -> str:
    """Keep the first and the last character: 大庆某某公司 -> 大****司."""
    value = (value or "").strip(BLANKS)
    if len(value) <= 2:
        return STAR * len(value)
    return value[0] + STAR * 4 + value[-1]


def mask_value(value, kind: str = "") -> str:
    text = "" if value is None else str(value)
    return MASKERS.get(kind, mask_generic)(text)


def display_action(*, sensitivity: int, roles, policy: dict | None = None) -> str:
    """The action the policy prescribes for a viewer holding ``roles`` (the strictest wins)."""
    levels = (policy or DEFAULT_POLICY)["levels"]
    table = levels.get(str(int(sensitivity)), {"*": SUPPRESS})
    order = [CLEAR, MASK, SUPPRESS]
    actions = [table[role] for role in roles if role in table] or [table.get("*", SUPPRESS)]
    # A viewer with several roles gets the most permissive action one of them is entitled to.
    return min(actions, key=order.index)


def mask_for_display(value, *, kind: str, sensitivity: int, roles, policy: dict | None = None) -> str:
    if value is None or value == "":
        return ""
    action = display_action(sensitivity=sensitivity, roles=roles, policy=policy)
    if action == CLEAR:
        return str(value)
    if action == MASK:
        return mask_value(value, kind)
    return SUPPRESSED


def pseudonymise(value, key: bytes) -> str:
    """Keyed pseudonym (HMAC-SM3): stable per key, not reversible without the source data."""
    from dfsp.core.crypto import sm3_hmac_hex

    return sm3_hmac_hex(key, str(value).encode())[:32]


def generalise(value, kind: str = "") -> str:
    """Coarser value: dates to the year, numbers to an order of magnitude, divisions to the city."""
    text = "" if value is None else str(value)
    if kind == "date":
        return text[:4]
    if kind == "division":
        return text[:4] + "00" if len(text) == 6 else text
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return ""
        bound = 10 ** max(len(str(int(abs(number)))) - 1, 0)
        low = int(number // bound * bound)
        return f"{low}-{low + bound}"
    return mask_generic(text)


# --- Vectorised variants (Polars) for batches and exports ---------------------------------------


def _stars(count):
    """Polars expression: ``count`` stars (up to 200)."""
    import polars as pl

    return pl.lit(STAR * 200).str.slice(0, count)


def _keep_ends(expr, head: int, tail: int):
    """Polars expression: first ``head`` and last ``tail`` characters, stars in between."""
    import polars as pl

    n = expr.str.len_chars()
    middle = _stars((n - head - tail).clip(lower_bound=0))
    kept = pl.concat_str([expr.str.slice(0, head), middle, expr.str.slice(-tail, tail)])
    return pl.when(n > head + tail).then(kept).otherwise(_stars(n))


def mask_expr(expr, kind: str = ""):
    """The Polars twin of ``mask_value``: same output for the same input, computed column-wise."""
    import polars as pl

    expr = expr.cast(pl.String).str.strip_chars(BLANKS)
    if kind == "mobile":
        n = expr.str.len_chars()
        middle = _stars((n - 7).clip(lower_bound=0))
        kept = pl.concat_str([expr.str.slice(0, 3), middle, expr.str.slice(-4, 4)])
        return pl.when(n >= 7).then(kept).otherwise(_stars(n))
    if kind in ("id_number", "bank_card"):
        return _keep_ends(expr.str.replace_all(" ", "", literal=True) if kind == "bank_card" else expr, 6, 4)
    if kind == "name":
        n = expr.str.len_chars()
        return (
            pl.when(n > 1)
            .then(pl.concat_str([expr.str.slice(0, 1), _stars((n - 1).clip(lower_bound=0))]))
            .otherwise(_stars(n))
        )
    if kind == "address":
        n = expr.str.len_chars()
        return pl.when(n > 6).then(pl.concat_str([expr.str.slice(0, 6), pl.lit(STAR * 4)])).otherwise(expr)
    n = expr.str.len_chars()
    return (
        pl.when(n > 2)
        .then(pl.concat_str([expr.str.slice(0, 1), pl.lit(STAR * 4), expr.str.slice(-1, 1)]))
        .otherwise(_stars(n))
    )


def pseudonymise_series(series, key: bytes):
    """HMAC-SM3 pseudonyms for a Polars Series, computed once per distinct value."""
    import polars as pl

    distinct = series.drop_nulls().unique()
    mapping = {value: pseudonymise(value, key) for value in distinct.to_list()}
    return series.replace_strict(mapping, default=None, return_dtype=pl.String)


def mask_frame(frame, columns: dict, *, key: bytes | None = None):
    """Apply export masking to a Polars DataFrame.

    ``columns`` maps a column to ``(action, kind)``: MASK uses the display format of ``kind``,
    PSEUDONYMISE needs ``key``, GENERALISE coarsens (``kind`` date/division), SUPPRESS nulls it.
    Columns not named are left as they are.
    """
    import polars as pl

    exprs = []
    pseudonymised = []
    for column, (action, kind) in columns.items():
        col = pl.col(column)
        if action == MASK:
            exprs.append(mask_expr(col, kind).alias(column))
        elif action == SUPPRESS:
            exprs.append(pl.lit(None, dtype=pl.String).alias(column))
        elif action == GENERALISE:
            text = col.cast(pl.String)
            if kind == "date":
                exprs.append(text.str.slice(0, 4).alias(column))
            elif kind == "division":
                exprs.append(pl.concat_str([text.str.slice(0, 4), pl.lit("00")]).alias(column))
            else:
                exprs.append(mask_expr(col).alias(column))
        elif action == PSEUDONYMISE:
            if key is None:
                raise ValueError("pseudonymisation needs a key")
            pseudonymised.append(column)
        elif action != CLEAR:
            raise ValueError(f"unknown masking action {action!r}")
    result = frame.with_columns(exprs) if exprs else frame
    for column in pseudonymised:
        result = result.with_columns(pseudonymise_series(result[column].cast(pl.String), key).alias(column))
    return result
