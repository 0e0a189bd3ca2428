"""How the real tables' answer keys are compared: score.py's rule for categories, in one place."""

from __future__ import annotations


def category_ok(expected: dict, got: tuple[str | None, str | None]) -> bool:
    """Older placements (成本指标 under 产出指标, satisfaction under 效益, 环境效益) accepted as their concepts.

    `expected` is a key's indicator (its level1/level2 as the table writes them); `got` the
    framework labels read (level-1, level-2).
    """
    level1, level2 = expected["level1"], expected["level2"]
    accepted = {(level1, level2)}
    if level2 == "成本指标":
        accepted |= {("成本指标", "经济成本指标"), ("产出指标", "成本指标"), ("成本指标", "成本指标")}
    if level2 and "满意度" in level2:
        accepted |= {("满意度指标", "服务对象满意度指标")}
    if level2 == "环境效益指标":
        accepted |= {("效益指标", "生态效益指标")}
    if level1 is None:
        return got[1] == level2 or (got[1] == "经济成本指标" and level2 == "成本指标")
    return got in accepted
