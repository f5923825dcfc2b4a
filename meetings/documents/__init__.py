"""PDF rendering of the official documents: plain functions returning bytes, used by views
and Celery tasks alike."""

from meetings.documents.addenda import render_addendum_pdf
from meetings.documents.base import PdfRenderTimeout
from meetings.documents.meetings import render_attendance_sheet_pdf, render_notice_pdf
from meetings.documents.minutes import render_minutes_pdf
from meetings.documents.plans import render_plan_pdf
from meetings.documents.topics import render_topic_pdf

__all__ = [
    "PdfRenderTimeout",
    "render_addendum_pdf",
    "render_attendance_sheet_pdf",
    "render_minutes_pdf",
    "render_notice_pdf",
    "render_plan_pdf",
    "render_topic_pdf",
]
