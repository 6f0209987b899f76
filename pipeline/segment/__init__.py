"""Segment stage: pages of lines → paragraphs, sections, sentences and jieba tokens."""

from pipeline.segment.document import VERSION, segment_document

__all__ = ["VERSION", "segment_document"]
