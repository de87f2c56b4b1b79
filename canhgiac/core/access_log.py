"""gunicorn's logger with an access line that costs what its format needs.

`canhgiac serve` logs one line per request in ACCESS_LOG_FORMAT (no client address: an anonymous
tipster's IP must not be stored anywhere, docs/tips.md). gunicorn builds every atom any format
could use before formatting — the whole WSGI environ and every header, each key lower-cased, wrapped
once more in a case-insensitive dict — about a tenth of the server's CPU for the public check
(docs/goods.md, "Benchmarks"). This logger builds only the atoms of ACCESS_LOG_FORMAT; the line is
the same (canhgiac/core/tests/test_access_log.py).
"""

from __future__ import annotations

from gunicorn import glogging

ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


class AccessLogger(glogging.Logger):
    def atoms(self, resp, req, environ, request_time):
        if self.cfg.access_log_format != ACCESS_LOG_FORMAT:
            return super().atoms(resp, req, environ, request_time)
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {
            "t": self.now(),
            "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}",
            "s": status,
            "b": "-" if sent is None else str(sent),
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }
