import pytest

from domain import MAX_PAGE_SIZE, InvalidInput, Movie, PageRequest, Production
from domain.paging import decode_cursor, encode_cursor
from domain.validation import parse


def test_happy_path_a_cursor_round_trips_its_sort_key() -> None:
    cursor = encode_cursor(["2027-01-01", "9b6f0a4e-1d7e-4a43-bb8e-7b0f7c1f3a55"])
    assert decode_cursor(cursor, arity=2) == ("2027-01-01", "9b6f0a4e-1d7e-4a43-bb8e-7b0f7c1f3a55")


@pytest.mark.parametrize("cursor", ["", "abc", "abc.def", "%%%.x", encode_cursor(["a"]) + "x"])
def test_unhappy_path_malformed_cursors_are_invalid_input(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_cursor(cursor, arity=1)
    assert caught.value.field == "page.cursor"


def test_unhappy_path_an_edited_cursor_fails_its_checksum() -> None:
    body, checksum = encode_cursor(["2027-01-01", "x"]).split(".")
    edited = encode_cursor(["2099-01-01", "x"]).split(".")[0]
    with pytest.raises(InvalidInput):
        decode_cursor(f"{edited}.{checksum}", arity=2)
    assert decode_cursor(f"{body}.{checksum}", arity=2)[0] == "2027-01-01"


def test_unhappy_path_a_cursor_of_another_entity_type_is_refused() -> None:
    movie_cursor = Movie(title="t").cursor
    with pytest.raises(InvalidInput):
        Production.cursor_key(movie_cursor)


def test_page_size_is_capped() -> None:
    assert PageRequest(size=MAX_PAGE_SIZE).size == MAX_PAGE_SIZE
    with pytest.raises(InvalidInput) as caught:
        parse(PageRequest, {"size": MAX_PAGE_SIZE + 1})
    assert caught.value.field == "size"
    with pytest.raises(InvalidInput):
        parse(PageRequest, {"size": 0})
