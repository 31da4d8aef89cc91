"""An anti-bot site: every page answers HTTP 412 with a JavaScript cookie challenge, the
way nhc.gov.cn answers plain HTTP clients. The server serves any ``X.412`` file as a 412
reply to a request for ``X``. Nothing here is a detail page.
"""
from __future__ import annotations

from ..tree import Tree

SITE = "nhc"

_CHALLENGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><script type="text/javascript">
var _0x5e1a=["cookie","__jsl_clearance_s=","1700000000.123|0|","location","reload"];
(function(){var t=new Date().getTime();document[_0x5e1a[0]]=_0x5e1a[1]+_0x5e1a[2]+t+";max-age=3600;path=/";
setTimeout(function(){window[_0x5e1a[3]][_0x5e1a[4]]();},1500);})();
</script><noscript>请开启JavaScript并刷新该页.</noscript></body></html>
"""


def build(notices) -> Tree:
    out = Tree()
    out.site(SITE, False, note="anti-bot family: the .412 files answer HTTP 412")
    out.add(f"{SITE}/wjw/index.html.412", _CHALLENGE.encode("utf-8"))
    out.add(f"{SITE}/wjw/yljg/202201/0a1b2c3d4e5f4a6b8c9d0e1f2a3b4c5d.shtml.412", _CHALLENGE.encode("utf-8"))
    return out
