"""Family spiders and the source registry."""
from __future__ import annotations


def spider_for_family(family: str) -> type:
    """The spider class that crawls sources of a registry family."""
    from spiders.aggregator import AggregatorSpider
    from spiders.docshare import DocShareSpider
    from spiders.generic import GenericSpider
    from spiders.gkmlpt import GkmlptSpider
    from spiders.gov_portal import GovPortalSpider
    from spiders.hanweb import HanwebSpider
    from spiders.policy_api import PolicyApiSpider

    classes = (GovPortalSpider, PolicyApiSpider, HanwebSpider, GkmlptSpider, AggregatorSpider, DocShareSpider,
               GenericSpider)
    return {cls.family: cls for cls in classes}[family]
