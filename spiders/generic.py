"""Any other site with listing pages of links to notice pages (forums, spam copies)."""
from __future__ import annotations

from spiders.base import FamilySpider


class GenericSpider(FamilySpider):
    name = "generic"
    family = "generic"
