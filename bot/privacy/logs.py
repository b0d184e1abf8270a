"""Logs keep no personal data: every log record's message is masked as it is made.

A record factory rather than a handler filter, because Rasa, Sanic and
aiohttp install their own handlers after we start; the factory sees every
record of every logger in the process.  Only records that will be emitted are
made (a logger checks its level first), so debug logging costs nothing when off.
Tracebacks are not masked: they carry code, and a value in an exception
message is masked with the message.
"""

from __future__ import annotations

import logging

from bot.language.masking import mask_text

_installed = False


def mask_log_records() -> None:
    """Installs the masking record factory once per process."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def masked_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it as it always does
            return record
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return record

    logging.setLogRecordFactory(masked_record)
    _installed = True


__all__ = ["mask_log_records"]
