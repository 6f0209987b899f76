"""A static review site over the tables of an output folder (`pipeline review`); see
`site.py`."""

from pipeline.views.review.site import build_site

__all__ = ["build_site"]
