"""Documents Rathaus issues are PDF/A-3b, the archive format, whatever renders them."""

import io
import xml.etree.ElementTree as ET
from datetime import date

from pypdf import PdfReader

from rathaus.letters import LetterData, html_to_pdf_a, letter_pdf

PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def pdf_a_identification(pdf: bytes) -> tuple[str | None, str | None]:
    """(part, conformance) as declared in the XMP metadata, as attributes or as elements."""
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert xmp is not None, "a PDF/A file must carry XMP metadata"
    root = ET.fromstring(xmp.stream.get_data())  # noqa: S314 - our own output
    part = conformance = None
    for node in root.iter():
        part = node.get(f"{{{PDFAID}}}part", part)
        conformance = node.get(f"{{{PDFAID}}}conformance", conformance)
        if node.tag == f"{{{PDFAID}}}part":
            part = node.text
        if node.tag == f"{{{PDFAID}}}conformance":
            conformance = node.text
    return part, conformance


def test_html_becomes_pdf_a_3b_with_the_given_title_and_author():
    pdf = html_to_pdf_a(html="<title>Alt</title><p>Grüße</p>", title="Neu", author="Musterstadt")
    assert pdf_a_identification(pdf) == ("3", "B")
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and (metadata.title, metadata.author) == ("Neu", "Musterstadt")


def test_a_decision_letter_declares_pdf_a_3b(musterstadt):
    data = LetterData(
        municipality=musterstadt,
        department="Bürgerbüro",
        reference="MUS-2026-000001",
        service_key="meldebescheinigung",
        service_name="Meldebescheinigung",
        recipient_name="Erika Mustermann",
        recipient_address=("Heidestraße 17", "61348 Musterstadt"),
        letter_date=date(2026, 3, 10),
        received_on=date(2026, 3, 2),
    )
    assert pdf_a_identification(letter_pdf(data=data, template="approval")) == ("3", "B")
