"""Extract stage: PDF bytes → pages of lines and tables (pdfplumber)."""

from pipeline.extract.pdf import VERSION, extract_document

__all__ = ["VERSION", "extract_document"]
