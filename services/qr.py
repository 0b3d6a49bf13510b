"""QR codes, drawn on our own server as SVG (never by another site)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, title: str = "", scale: int = 2) -> SafeString:
    """An inline SVG QR code for a link (segno escapes the title it writes)."""
    return mark_safe(  # noqa: S308 (segno's own SVG markup)
        segno.make(url, error="m").svg_inline(scale=scale, title=title or None)
    )
