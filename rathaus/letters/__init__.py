"""Letters of the administration (Bescheide, requests for information) as PDF/A-3b. Not a Django app: no models."""

from .letter import LETTER_TEMPLATES, LetterData, LetterError, letter_pdf
from .pdf import html_to_pdf_a

__all__ = ["LETTER_TEMPLATES", "LetterData", "LetterError", "html_to_pdf_a", "letter_pdf"]
