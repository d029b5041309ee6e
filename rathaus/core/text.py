"""Small checks of text that comes from outside."""


def ascii_digits(value: str) -> bool:
    """True for a non-empty string of the digits 0-9 only. Unlike str.isdigit() this refuses "²", "٣" and other
    Unicode digits, which int() either rejects or reads as numbers nobody meant."""
    return value.isascii() and value.isdigit()


# For the JSON API's text parameters: PostgreSQL cannot store or compare text with NUL characters, and the
# NulCharactersMiddleware refuses them with 422; saying so in the schema makes such a request invalid by contract.
NO_NUL_PATTERN = r"^[^\x00]*$"
