"""Calendar files attached to e-mails carry a clean Content-Type that every mail program reads."""

from django.core.mail import EmailMessage

from rathaus.core.attachments import calendar_attachment


def test_a_calendar_attachment_names_charset_and_method_once():
    message = EmailMessage("Termin", "Text", "rathaus@example.org", ["erika@example.org"])
    message.attach(calendar_attachment("termin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    raw = message.message().as_string()
    header = next(line for line in raw.splitlines() if line.startswith("Content-Type: text/calendar"))
    assert header == 'Content-Type: text/calendar; charset="utf-8"; method="PUBLISH"'
    assert 'Content-Disposition: attachment; filename="termin.ics"' in raw
