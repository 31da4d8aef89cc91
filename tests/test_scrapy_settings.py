"""What our Scrapy settings switch off, checked on the components Scrapy itself builds."""
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler


# Our values of the settings that decide which extensions and middlewares Scrapy builds
# (the whole module also names the reactor, which a test process has installed already).
KEYS = ("EXTENSIONS", "SPIDER_MIDDLEWARES", "REMOTE_CONTROL_ENABLED", "TELNETCONSOLE_ENABLED")


def _crawler():
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return get_crawler(Spider, settings_dict={key: settings[key] for key in KEYS})


def test_no_crawl_serves_scrapys_remote_control_or_telnet():
    """Both run code sent to them over a socket: a background archiver listens with neither."""
    names = {type(ext).__name__ for ext in _crawler().extensions.middlewares}
    assert "RunRecorder" in names  # the list is the real one
    assert not names & {"RemoteControl", "TelnetConsole"}


def test_the_depth_middleware_is_off():
    crawler = _crawler()
    from scrapy.core.spidermw import SpiderMiddlewareManager

    names = {type(mw).__name__ for mw in SpiderMiddlewareManager.from_crawler(crawler).middlewares}
    assert "RefererMiddleware" in names
    assert "DepthMiddleware" not in names


def test_the_quick_check_keeps_them_off():
    """A check lays its own components over ours: added, not in their place; it keeps
    the crawl's run recorder, told by a setting to write nothing."""
    from scrapy.core.spidermw import SpiderMiddlewareManager

    from crawler.run.crawl_spec import CrawlSpec, scrapy_settings

    settings = scrapy_settings(CrawlSpec(sources=[], check=True, request_timeout=5.0), [])
    assert settings.getbool("POLICY_ARCHIVE_WRITES", True) is False and settings.getfloat("DOWNLOAD_TIMEOUT") == 5.0
    crawler = get_crawler(Spider, settings_dict={key: settings[key] for key in KEYS})
    names = {type(mw).__name__ for mw in SpiderMiddlewareManager.from_crawler(crawler).middlewares}
    assert "FirstNoticeMiddleware" in names and "DepthMiddleware" not in names
    extensions = {type(ext).__name__ for ext in crawler.extensions.middlewares}
    assert "RunRecorder" in extensions and not extensions & {"RemoteControl", "TelnetConsole"}
