"""`canhgiac serve`'s access line: the same as gunicorn's own logger writes, without the client."""

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from canhgiac.core.access_log import ACCESS_LOG_FORMAT, AccessLogger


def _line(logger_class, fmt, *, sent=1234, status="200 OK"):
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", fmt)
    logger = logger_class(cfg)
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    logger.now = lambda: "[07/Dec/2026:03:30:00 +0000]"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/verify?code=8934588012228&unit_code=00004",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/api/v1/verify",
        "QUERY_STRING": "code=8934588012228&unit_code=00004",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    req = SimpleNamespace(headers=[("HOST", "127.0.0.1"), ("USER-AGENT", "Mozilla/5.0")])
    resp = SimpleNamespace(status=status, sent=sent, headers=[("Content-Type", "application/json")])
    logger.access(resp, req, environ, dt.timedelta(seconds=1, microseconds=23_456))
    return lines


@pytest.mark.parametrize(
    "sent,status", [(1234, "200 OK"), (0, "204 No Content"), (None, "503 Service Unavailable")]
)
def test_the_line_is_gunicorns_own(sent, status):
    ours = _line(AccessLogger, ACCESS_LOG_FORMAT, sent=sent, status=status)
    assert ours == _line(Logger, ACCESS_LOG_FORMAT, sent=sent, status=status)
    assert len(ours) == 1 and "203.0.113.9" not in ours[0]
    assert ours[0].endswith("ms") and " 1023ms" in ours[0]


def test_another_format_gets_gunicorns_atoms():
    fmt = '%(h)s %(t)s "%(r)s" %(s)s "%(a)s"'
    assert _line(AccessLogger, fmt) == _line(Logger, fmt)
