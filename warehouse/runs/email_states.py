"""The documented values of `runs.email_status` and `run_manifests.email_status`, read from
the send's own line, which is kept beside them as `email_detail`."""

from __future__ import annotations

import re

SENT, PENDING, FAILED, NONE = "sent", "pending", "failed", "none"
EMAIL_STATES = (SENT, PENDING, FAILED, NONE)

# The forms of notify.delivery.SendReport.status: 'nothing to send', 'skipped: another
# sender holds the outbox lock', 'sent N (method)[, N pending after an error][, N failed
# for good][: error]'; and 'none' for a run that never reached the send.
_SENT = re.compile(r"sent \d+ \([^)]*\)(?P<rest>.*)", re.DOTALL)


def email_state(detail: str | None) -> str:
    """sent, pending, failed or none for the send's line `detail`; a line of another form is
    'failed' (an outcome that cannot be read is not claimed as delivered)."""
    if detail is None or detail in (NONE, "nothing to send"):
        return NONE
    if detail in EMAIL_STATES:
        return detail
    if detail.startswith("skipped:"):
        return PENDING
    match = _SENT.fullmatch(detail)
    if match is None:
        return FAILED
    counts = match["rest"].split(":", 1)[0]
    if "failed for good" in counts:
        return FAILED
    if "pending" in counts:
        return PENDING
    return SENT


def email_detail(detail: str | None) -> str | None:
    """The line kept as `email_detail`: None when there is nothing to say beyond the state."""
    return None if detail is None or detail in EMAIL_STATES else detail
