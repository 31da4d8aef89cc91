import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TimeoutError

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.http import _DataLoss

from crawler.vocab.failures import FAILURE_KINDS, classify_failure


def _caused(exc, cause):
    exc.__cause__ = cause
    return exc
from crawler.components.middlewares import is_loopback_url


def http_error(status):
    response = HtmlResponse("http://example.gov.cn/x", status=status, body=b"", request=Request("http://example.gov.cn/x"))
    return HttpError(response, "Ignoring non-200 response")


@pytest.mark.parametrize(
    "exc, kind",
    [
        (http_error(412), "anti_bot"),
        (http_error(403), "anti_bot"),
        (http_error(521), "anti_bot"),
        (http_error(404), "http_4xx"),
        (http_error(503), "http_5xx"),
        (http_error(410), "http_4xx"),
        (DNSLookupError("no such host www.example.gov.cn"), "dns"),
        (ConnectionRefusedError("Connection was refused by other side"), "connection_refused"),
        (TimeoutError("User timeout caused connection failure"), "timeout"),
        (DownloadTimeoutError("Getting http://x/ took longer than 10 seconds."), "timeout"),
        (CannotResolveHostError("no such host"), "dns"),
        (_caused(ResponseDataLossError(), ResponseFailed([Failure(_DataLoss())])), "truncated"),
        (DownloadFailedError(str(ResponseFailed([Failure(ConnectionLost())]))), "reset"),
        (DownloadCancelledError("Received 40000000 bytes which is larger than download max size (33554432)"), "too_large"),
        (IgnoreRequest("max redirections reached"), "redirect_loop"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (RuntimeError("boom"), "fetch"),
    ],
)
def test_failures_are_named_by_kind(exc, kind):
    got, message = classify_failure(exc)
    assert got == kind and got in FAILURE_KINDS
    assert message and "\n" not in message


@pytest.mark.parametrize(
    "url, ok",
    [
        ("http://127.0.0.1:8000/a", True),
        ("http://127.5.6.7/a", True),
        ("http://localhost/a", True),
        ("http://[::1]:80/a", True),
        ("http://10.0.0.1/a", False),
        ("https://www.gov.cn/zhengce/", False),
        ("http://192.168.1.1/", False),
    ],
)
def test_loopback_guard_knows_loopback(url, ok):
    assert is_loopback_url(url) is ok
