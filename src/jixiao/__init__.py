"""jixiao: a knowledge graph of Chinese public-budget performance targets (预算绩效目标)."""

__version__ = "0.1.0"
