from hypothesis import given
from hypothesis import strategies as st

from dfsp.core.masking import mask_bank_card, mask_id_number, mask_mobile, mask_name


def test_fixed_display_formats():
    assert mask_mobile("13804590001") == "138****0001"
    assert mask_id_number("230602199001011234") == "230602********1234"
    assert mask_bank_card("6222021234567890123") == "622202*********0123"
    assert mask_name("王建国") == "王**"


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_masked_mobile_never_shows_the_middle_digits(mobile):
    masked = mask_mobile(mobile)
    assert masked[3:7] == "****" and len(masked) == 11


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_a_masked_id_number_hides_the_birth_date(number):
    assert number[6:14] not in mask_id_number(number)[6:14]
