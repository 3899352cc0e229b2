"""Display masking of personal data (DATA-3). Used by every module that shows such values.

The data platform builds on these with sensitivity- and role-driven rules; these functions are
the fixed display formats (mobile 3+4, bank card 6+4, ID number 6+4, names, addresses).
"""

STAR = "*"


def mask_mobile(value: str | None) -> str:
    """13804590001 -> 138****0001."""
    value = (value or "").strip()
    if len(value) < 7:
        return STAR * len(value)
    return value[:3] + STAR * (len(value) - 7) + value[-4:]


def mask_id_number(value: str | None) -> str:
    """230602199001011234 -> 230602********1234."""
    value = (value or "").strip()
    if len(value) <= 10:
        return STAR * len(value)
    return value[:6] + STAR * (len(value) - 10) + value[-4:]


def mask_bank_card(value: str | None) -> str:
    """6222021234567890123 -> 622202*********0123."""
    value = (value or "").replace(" ", "")
    if len(value) <= 10:
        return STAR * len(value)
    return value[:6] + STAR * (len(value) - 10) + value[-4:]


def mask_name(value: str | None) -> str:
    """王建国 -> 王**; 李明 -> 李*."""
    value = (value or "").strip()
    if len(value) <= 1:
        return STAR * len(value)
    return value[0] + STAR * (len(value) - 1)


def mask_address(value: str | None, keep: int = 6) -> str:
    """Keep the leading administrative part, hide the street and number."""
    value = (value or "").strip()
    if len(value) <= keep:
        return value
    return value[:keep] + STAR * 4
