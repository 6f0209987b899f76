"""Named exceptions, each with one clear message for the user."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the pipeline reports to the user by message alone."""


class DocumentError(PipelineError):
    """A single document cannot be processed; the batch records it and goes on."""


class NotAPdfError(DocumentError):
    """The file is not a PDF."""


class EmptyFileError(DocumentError):
    """The file has no bytes."""


class DamagedPdfError(DocumentError):
    """The PDF is truncated or damaged beyond what the reader can repair."""


class EmptyPdfError(DocumentError):
    """The PDF has no pages, or no page with anything to read."""


class EncryptedPdfError(DocumentError):
    """The PDF is protected by a password."""


class NoTextError(DocumentError):
    """No page of the PDF has a text layer."""


class OcrUnavailableError(DocumentError):
    """A page needs OCR and Tesseract (with its chi_sim language) is not installed."""


class OcrFailedError(DocumentError):
    """Tesseract ran but could not read a page."""


class InputError(PipelineError):
    """An input path given on the command line does not exist or holds no PDF."""


class WouldDropError(InputError):
    """The run's inputs leave out documents the output folder's tables hold (and --replace was
    not given)."""


class OutputMissingError(PipelineError):
    """The output folder has no tables yet (run the pipeline first)."""


class QueryError(PipelineError):
    """A SQL query given to `pipeline query` failed."""


class SchemaMismatchError(PipelineError):
    """Rows handed to a table carry keys its schema does not have (a bug in the pipeline)."""


class WorkBusyError(PipelineError):
    """Another run holds the lock on the work folder."""


class WorkerStartError(PipelineError):
    """A worker process could not start or load its models."""


class SchedulerError(PipelineError):
    """The Dask scheduler cannot be used: not installed, unreachable, or its workers differ."""
