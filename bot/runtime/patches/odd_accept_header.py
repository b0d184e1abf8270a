"""An Accept header Sanic cannot parse is read as no Accept header, so error pages still render.

What Rasa 3.6.21 runs on, Sanic 21.12: ``Request.accept`` parses the header on
first use and raises on a value that is no media range (``XO``, ``*/*;q=abc``,
bytes that are no UTF-8).  Routes never read it, but Sanic's error handler does
to pick the error page's format: a request that ends in any error (a 404, a
405, a 400 from a channel) and carries such a header gets
``500 An error occurred while handling an error`` instead.  The fuzzing found
it on every route of the rasa server (bench/fuzz_endpoints.py).

The patch: ``Request.accept`` answers an empty header's parse when the header
cannot be parsed (RFC 9110 lets a server ignore an Accept it does not
understand), so the error is rendered as for a client that sent none.

Upstream: sanic-org/sanic, fixed in later releases (the parse is lenient
there); Rasa 3.6 pins Sanic 21.12.

Extension point: none.  Rasa creates the Sanic app inside its command line
(``rasa.core.run.configure_app``); a custom ``ErrorHandler`` cannot be installed
without replacing that function, and the header is read before any request
middleware can clean it (routing fails first).
"""

from __future__ import annotations

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("sanic.request:Request.accept",)


@fenced
def apply() -> None:
    from sanic.headers import parse_accept
    from sanic.request import Request

    original = Request.accept

    def accept(self):
        try:
            return original.fget(self)
        except Exception:  # no media range, a bad q, bytes that are no UTF-8
            self.parsed_accept = parse_accept("")
            return self.parsed_accept

    replace(Request, "accept", property(accept))


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
