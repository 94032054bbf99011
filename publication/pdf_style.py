"""The look of every PDF the platform writes (credit reports, case reports): reportlab's
built-in Chinese CID font STSong-Light (no font files needed, text stays searchable), the body
and heading styles, and the text width on A4."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=7, leading=9)
H1 = ParagraphStyle("h1", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
H2 = ParagraphStyle("h2", fontName=FONT, fontSize=12, leading=17, spaceBefore=10, spaceAfter=4,
                    textColor=colors.HexColor("#b71c1c"))
H3 = ParagraphStyle("h3", fontName=FONT, fontSize=10, leading=14, spaceBefore=6, spaceAfter=2)
WIDTH = A4[0] - 30 * mm
