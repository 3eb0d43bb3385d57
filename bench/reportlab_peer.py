#!/usr/bin/env python3
"""The letters benchmark's peer: ReportLab draws the same text, one letter per page, with the same
TrueType font (embedded as a subset, as ReportLab does for TrueType). Usage: FONT PAGES.json OUT.pdf"""

import json
import sys

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

font_path, pages_path, out_path = sys.argv[1:4]
pdfmetrics.registerFont(TTFont("Letter", font_path))
pages = json.load(open(pages_path, encoding="utf-8"))
width, height = A4
document = canvas.Canvas(out_path, pagesize=A4)
for lines in pages:
    text = document.beginText(56, height - 56)
    text.setFont("Letter", 10.5)
    text.setLeading(17)
    for line in lines:
        text.textLine(line.rstrip())
    document.drawText(text)
    document.showPage()
document.save()
