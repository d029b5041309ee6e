from rathaus.core.text import ascii_digits


def test_only_the_digits_0_to_9_count_as_digits():
    assert ascii_digits("0123456789")
    assert not ascii_digits("")
    assert not ascii_digits("²")  # str.isdigit() says yes, int() says no
    assert not ascii_digits("١٢")  # Arabic-Indic digits: int() would read them as 12
    assert not ascii_digits("12a")
