"""Sensitivity- and role-driven masking, scalar and vectorised (DATA-3)."""

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from dfsp.core import masking

digits = st.text(alphabet="0123456789", min_size=11, max_size=19)


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_masked_mobile_never_contains_the_hidden_digits(mobile):
    masked = masking.mask_value(mobile, "mobile")
    assert masked[:3] == mobile[:3] and masked[-4:] == mobile[-4:]
    # the only digits left are the three kept at the start and the four at the end
    assert masked[3:7] == "****" and masked.replace("*", "") == mobile[:3] + mobile[-4:]


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_masked_id_number_hides_birth_date_and_sequence(id_number):
    masked = masking.mask_value(id_number, "id_number")
    assert masked == id_number[:6] + "*" * 8 + id_number[-4:]
    assert masked.replace("*", "") == id_number[:6] + id_number[-4:]


@given(digits)
def test_masked_bank_card_keeps_six_and_four(card):
    masked = masking.mask_value(card, "bank_card")
    assert masked.count("*") == len(card) - 10
    assert card[6:-4] == "" or card[6:-4] not in masked[6:-4]


# Control characters are left out: Python and Polars disagree on whether e.g. U+001F is whitespace.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)


@given(
    st.lists(TEXT, max_size=30), st.sampled_from(["mobile", "id_number", "bank_card", "name", "address", ""])
)
def test_vectorised_masking_equals_the_scalar_one(values, kind):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    vectorised = frame.select(masking.mask_expr(pl.col("v"), kind)).to_series().to_list()
    assert vectorised == [masking.mask_value(v, kind) for v in values]


def test_display_action_by_sensitivity_and_role():
    assert masking.display_action(sensitivity=1, roles={"enterprise_user"}) == masking.CLEAR
    assert masking.display_action(sensitivity=2, roles={"regulator"}) == masking.CLEAR
    assert masking.display_action(sensitivity=2, roles={"institution_user"}) == masking.MASK
    assert masking.display_action(sensitivity=4, roles={"operator"}) == masking.MASK
    assert masking.display_action(sensitivity=5, roles={"regulator"}) == masking.SUPPRESS
    assert masking.display_action(sensitivity=3, roles=set()) == masking.MASK


def test_policy_is_configurable():
    policy = {"version": "t", "levels": {"3": {"regulator": masking.CLEAR, "*": masking.SUPPRESS}}}
    assert (
        masking.mask_for_display(
            "13804590001", kind="mobile", sensitivity=3, roles={"regulator"}, policy=policy
        )
        == "13804590001"
    )
    assert (
        masking.mask_for_display(
            "13804590001", kind="mobile", sensitivity=3, roles={"operator"}, policy=policy
        )
        == masking.SUPPRESSED
    )
    # an unknown level is suppressed, never shown
    assert (
        masking.mask_for_display("x", kind="", sensitivity=4, roles={"regulator"}, policy=policy)
        == masking.SUPPRESSED
    )


def test_export_masking_pseudonymises_generalises_and_suppresses():
    frame = pl.DataFrame(
        {
            "id": ["230602199001011234", "230602199001011234", None],
            "born": ["1990-01-01"] * 3,
            "division": ["230602"] * 3,
            "mobile": ["13804590001"] * 3,
            "secret": ["x"] * 3,
        }
    )
    out = masking.mask_frame(
        frame,
        {
            "id": (masking.PSEUDONYMISE, ""),
            "born": (masking.GENERALISE, "date"),
            "division": (masking.GENERALISE, "division"),
            "mobile": (masking.MASK, "mobile"),
            "secret": (masking.SUPPRESS, ""),
        },
        key=b"0123456789abcdef",
    )
    ids = out["id"].to_list()
    assert (
        ids[0] == ids[1] == masking.pseudonymise("230602199001011234", b"0123456789abcdef") and ids[2] is None
    )
    assert "1990" not in ids[0] and len(ids[0]) == 32
    assert masking.pseudonymise("230602199001011234", b"another key 1234") != ids[0]
    assert out["born"].to_list() == ["1990"] * 3 and out["division"][0] == "230600"
    assert out["mobile"][0] == "138****0001" and out["secret"].null_count() == 3


def test_generalise_scalar():
    assert masking.generalise("2015-03-02", "date") == "2015"
    assert masking.generalise("230603", "division") == "230600"
    assert masking.generalise("5432", "number") == "5000-6000"
