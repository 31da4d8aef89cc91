"""Document-sharing sites (冰豆网 style): a listing of uploads, one page per document.
Their noise (upload metadata, download notices) is the extractor's business."""
from __future__ import annotations

from spiders.base import FamilySpider


class DocShareSpider(FamilySpider):
    name = "docshare"
    family = "docshare"
