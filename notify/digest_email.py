"""Assemble the digest email: multipart/alternative (plain, then HTML) with the chart as an
inline PNG in a multipart/related part; one builder for both SMTP and the .eml outbox."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

CHANGE_SET_HEADER = "X-CoopWatch-Change-Set"
_DATA_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def build_message(
    *,
    subject: str,
    text: str,
    html: str,
    sender: str,
    recipients: Sequence[str],
    change_set_id: str,
    chart_png: bytes | None = None,
    chart_cid: str | None = None,
    when: datetime | None = None,
) -> EmailMessage:
    """The email for one outbox row. The Message-ID derives from the change set, so a
    re-delivery after a crash is recognisable as the same message by mail clients."""
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = sender
    if recipients:
        message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime((when or datetime.now(UTC)).astimezone(UTC))
    message["Message-ID"] = f"<{change_set_id[:32]}@coopwatch>"
    message[CHANGE_SET_HEADER] = change_set_id
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    if chart_png is not None and chart_cid:
        html_part = message.get_payload()[1]
        html_part.add_related(
            chart_png,
            maintype="image",
            subtype="png",
            cid=f"<{chart_cid}>",
            disposition="inline",
            filename="chart.png",
        )
    return message


def embed_chart(html: str, cid: str, png: bytes | None) -> str:
    """The HTML with the chart as a data: URI instead of cid:, so a stored body is
    self-contained (the outbox keeps no separate image) and opens in a browser."""
    if png is None:
        return html
    data_uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return html.replace(f'src="cid:{cid}"', f'src="{data_uri}"')


def extract_chart(html: str, cid: str) -> tuple[str, bytes | None]:
    """Undo embed_chart: the HTML pointing at cid: again, and the PNG to attach. Document
    text is escaped (quotes become entities), so only our own <img> can match."""
    match = _DATA_PNG.search(html)
    if match is None:
        return html, None
    png = base64.b64decode(match.group(1))
    return html[: match.start()] + f'src="cid:{cid}"' + html[match.end() :], png
