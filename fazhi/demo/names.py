"""Deterministic Chinese personal names for demo accounts (never real people)."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建林海波宁亮志斌飞宇"
    "浩凯俊帅晨阳雪梅琳颖欣怡佳慧瑶婷"
)


class NameGenerator:
    def __init__(self, seed: int) -> None:
        # Not for secrets: demo names must repeat exactly for a given seed.
        self._rng = random.Random(seed)  # noqa: S311
        self._used: set[str] = set()

    def name(self) -> str:
        for _ in range(1000):
            given = "".join(self._rng.choice(GIVEN) for _ in range(self._rng.choice((1, 2))))
            candidate = self._rng.choice(SURNAMES) + given
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
        raise RuntimeError("演示姓名已用尽")
