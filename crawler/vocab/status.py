"""The words that say what stage a notice is at: a draft put out for comment, a rule in
trial, an interim rule, a revised edition. Written once for the classifier (status), the
title finder (a status line under a title, a line that ends like one) and the archive's
draft-to-final linking (which strips a draft's mark to compare titles)."""
from __future__ import annotations

import re

# A draft's own mark, in its title or on a line under it: (征求意见稿), 草案, (讨论稿).
DRAFT_WORDS = ("征求意见稿", "意见稿", "送审稿", "讨论稿", "代拟稿", "修订稿", "试行稿", "草案")
TRIAL = "试行"
INTERIM = "暂行"
REVISED = "修订"  # a revised edition in force, not a draft
STATUS_WORDS = (*DRAFT_WORDS, TRIAL, INTERIM, REVISED)
# A notice no longer in force, as sites mark it: a tag before the title ([已废止]), a
# 有效性 / 时效 cell of the 信息公开 table (失效, 已废止).
REPEALED_WORDS = ("已废止", "已失效", "已作废", "已撤销", "废止", "失效", "作废", "撤销")
# A title that calls for comments on a draft is the draft's page, whatever it is called.
DRAFT_CALLS = ("公开征求意见", "征求意见的通知", "征求意见的公告", "征求意见的函")


def alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first so 征求意见稿 wins over 意见稿."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


DRAFT = alternation(DRAFT_WORDS)
STATUS = alternation(STATUS_WORDS)
# (征求意见稿) or （试行） standing alone on a line, as pages set it under the title.
STATUS_LINE = re.compile(rf"^[ \t\u3000\xa0]*[(（][ \t\u3000\xa0]*({STATUS})[ \t\u3000\xa0]*[)）][ \t\u3000\xa0]*$", re.M)
