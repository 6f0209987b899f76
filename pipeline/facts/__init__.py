"""Facts stage: what a report says about itself and whether it adds up (identity, metrics,
tasks, indicators, checks), read from the figures stage's record."""

from pipeline.facts.document import VERSION, fact_document

__all__ = ["VERSION", "fact_document"]
