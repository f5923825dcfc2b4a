"""The QR code printed on the last page of every sealed document (issue 18): the verification
page's URL with the document's code, as inline SVG (WeasyPrint draws it; no file, no fetch)."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('minutes:verify')}?{urlencode({'ma': code})}"


def verification_qr_svg(code: str) -> str:
    """SVG markup (sized by documents.css, class "qr"); empty without a code. Built by segno
    from our own URL only, so it is safe to insert as it is."""
    if not code:
        return ""
    qr = segno.make(verification_url(code), error="m")
    return mark_safe(qr.svg_inline(scale=1, border=2, unit="mm", svgclass="qr", lineclass=None))
