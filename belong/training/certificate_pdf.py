"""A certificate as a one-page PDF (US Letter, landscape), made with fpdf2.

The fonts are the DejaVu fonts shipped in belong/static/belong/fonts (their licence is beside
them): they cover accented and Vietnamese letters, so "Tomás" and "Nguyễn" print as written.
Texts are in the active language; the date is the completion date, already a date in the
installation's zone.
"""

import unicodedata
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "static" / "belong" / "fonts"

# The site's design tokens (belong.css): teal-900, teal-700, gold-500, ink, muted, line.
TEAL_DARK = (12, 59, 64)
TEAL = (15, 95, 102)
GOLD = (224, 166, 59)
INK = (27, 36, 48)
MUTED = (75, 85, 99)
PAPER = (248, 246, 242)

PAGE_W, PAGE_H = 279.4, 215.9  # US Letter, landscape, in mm
MARGIN = 30


def verification_url(code):
    return (
        f"{settings.SITE_URL}{reverse('training:certificate_verify')}?{urlencode({'code': code})}"
    )


def _text(value):
    # Composed forms: one glyph for "ễ" rather than a letter and combining marks.
    return unicodedata.normalize("NFC", str(value))


class _Certificate(FPDF):
    def __init__(self):
        super().__init__(orientation="landscape", unit="mm", format="letter")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font("Serif", "", FONTS / "DejaVuSerif.ttf")
        self.add_font("Serif", "B", FONTS / "DejaVuSerif-Bold.ttf")
        self.add_font("Sans", "", FONTS / "DejaVuSans.ttf")

    def centered(self, text, *, family, size, color, style="", height=None, spacing=0.0):
        self.set_font(family, style, size)
        self.set_text_color(*color)
        self.set_char_spacing(spacing)
        self.set_x(MARGIN)
        self.cell(
            PAGE_W - 2 * MARGIN,
            height or size * 0.5,
            _text(text),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.set_char_spacing(0)

    def fitted(self, text, *, family, size, color, style="", minimum=14):
        """One line, made smaller until it fits the width (long names)."""
        text = _text(text)
        width = PAGE_W - 2 * MARGIN
        self.set_font(family, style, size)
        while size > minimum and self.get_string_width(text) > width:
            size -= 1
            self.set_font(family, style, size)
        if self.get_string_width(text) > width:
            self.centered_block(text, family=family, size=size, color=color, style=style)
            return
        self.centered(text, family=family, size=size, color=color, style=style, height=size * 0.6)

    def centered_block(self, text, *, family, size, color, style="", line=None, max_lines=None):
        self.set_font(family, style, size)
        self.set_text_color(*color)
        self.set_x(MARGIN)
        self.multi_cell(
            PAGE_W - 2 * MARGIN,
            line or size * 0.5,
            _text(text),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
            max_line_height=line or size * 0.5,
        )

    def frame(self):
        self.set_fill_color(*PAPER)
        self.rect(0, 0, PAGE_W, PAGE_H, style="F")
        self.set_draw_color(*TEAL)
        self.set_line_width(1.6)
        self.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
        self.set_draw_color(*GOLD)
        self.set_line_width(0.5)
        self.rect(14, 14, PAGE_W - 28, PAGE_H - 28)

    def rule(self, width=50):
        y = self.get_y()
        self.set_draw_color(*GOLD)
        self.set_line_width(0.8)
        self.line((PAGE_W - width) / 2, y, (PAGE_W + width) / 2, y)


def render(certificate, *, foundational_titles=()):
    """The certificate's PDF as bytes. `certificate.person` and `certificate.course` are read;
    a foundational certificate lists `foundational_titles` (the courses it stands for)."""
    person = certificate.person
    site = settings.SITE_NAME
    if certificate.course_id:
        achievement = certificate.course.title
    else:
        achievement = _("All foundational trainings")
    completed = formats.date_format(
        certificate.completed_on, pgettext("Django date format: month day, year", "F j, Y")
    )
    url = verification_url(certificate.code)

    pdf = _Certificate()
    pdf.set_title(_text(_("Certificate of completion: %(what)s") % {"what": achievement}))
    pdf.set_author(_text(site))
    pdf.set_creator(_text(site))
    pdf.set_subject(_text(person.formal_name))
    pdf.set_lang(get_language() or settings.LANGUAGE_CODE)
    pdf.add_page()
    pdf.frame()

    pdf.set_y(30)
    pdf.centered(site.upper(), family="Sans", size=12, color=TEAL, spacing=2.5)
    pdf.ln(8)
    pdf.centered(_("Certificate of completion"), family="Serif", size=34, color=TEAL_DARK)
    pdf.ln(7)
    pdf.rule()
    pdf.ln(9)
    pdf.centered(_("This certifies that"), family="Sans", size=13, color=MUTED)
    pdf.ln(5)
    pdf.fitted(person.formal_name, family="Serif", style="B", size=30, color=INK)
    pdf.ln(5)
    pdf.centered(_("has completed"), family="Sans", size=13, color=MUTED)
    pdf.ln(5)
    pdf.centered_block(achievement, family="Serif", style="B", size=20, color=TEAL_DARK, line=10)
    if not certificate.course_id and foundational_titles:
        pdf.ln(2)
        pdf.centered_block(
            " · ".join(_text(title) for title in foundational_titles),
            family="Sans",
            size=10,
            color=MUTED,
            line=5,
        )
    pdf.ln(6)
    pdf.centered(
        _("Completed on %(date)s") % {"date": completed}, family="Sans", size=13, color=INK
    )

    # The verification block at the foot of the page.
    pdf.set_y(PAGE_H - 50)
    pdf.centered(_("Verification code"), family="Sans", size=9, color=MUTED)
    pdf.ln(1)
    pdf.centered(certificate.code, family="Serif", style="B", size=15, color=INK, spacing=1.2)
    pdf.ln(2)
    pdf.set_font("Sans", "", 9)
    pdf.set_text_color(*MUTED)
    pdf.set_x(MARGIN)
    pdf.cell(
        PAGE_W - 2 * MARGIN,
        5,
        _("Anyone can check this certificate at %(url)s") % {"url": url},
        align="C",
        link=url,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
