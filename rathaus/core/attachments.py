"""E-mail attachments that several modules send."""

from __future__ import annotations

from email.mime.text import MIMEText


def calendar_attachment(filename: str, content: str | bytes) -> MIMEText:
    """An iCalendar file (RFC 5545) for EmailMessage.attach: `text/calendar; charset="utf-8"; method="PUBLISH"`,
    each parameter once (passing the parameters in Django's mimetype string repeats the charset)."""
    text = content.decode() if isinstance(content, bytes) else content
    part = MIMEText(text, "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
