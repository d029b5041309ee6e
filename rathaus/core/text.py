"""Small checks of text that comes from outside."""


def ascii_digits(value: str) -> bool:
    """True for a non-empty string of the digits 0-9 only. Unlike str.isdigit() this refuses "²", "٣" and other
    Unicode digits, which int() either rejects or reads as numbers nobody meant."""
    return value.isascii() and value.isdigit()
