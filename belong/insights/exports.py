"""Downloads of what a page shows: a figure's table exactly as shown (hidden figures as "<11"),
or a metric's values, as CSV and as XLSX (xlsxwriter). A cell that a spreadsheet would take for
a formula is written as text."""

import csv
import io

import xlsxwriter

from belong.lib.spreadsheet import csv_cell


def table_csv(title, header, grid, notes=()) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(title)])
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in line] for line in grid)
    for note in notes:
        writer.writerow([csv_cell(note)])
    return out.getvalue()


def table_xlsx(sheet_name, title, header, grid, notes=()) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, str(title), bold)
    for j, heading in enumerate(header):
        sheet.write_string(1, j, str(heading), bold)
    for i, line in enumerate(grid, start=2):
        for j, value in enumerate(line):
            text = str(value)
            # Counts that are shown are numbers; "<11", shares and labels stay text.
            if text.isdigit():
                sheet.write_number(i, j, int(text))
            else:
                sheet.write_string(i, j, text)
    for k, note in enumerate(notes, start=len(grid) + 3):
        sheet.write_string(k, 0, str(note))
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(header), 14)
    book.close()
    return out.getvalue()


def as_csv(figure) -> str:
    return table_csv(figure.title, figure.header(), figure.grid(), figure.all_notes)


def as_xlsx(figure) -> bytes:
    return table_xlsx(figure.slug, figure.title, figure.header(), figure.grid(), figure.all_notes)


def metric_table(metric):
    """(title, header, grid) of a metric's values, as its page's table shows them."""
    from django.utils.translation import gettext as _

    header = [_("Date"), _("Value"), _("Unit"), _("Note")]
    grid = [
        [o.observed_on.isoformat(), o.value_shown, metric.unit, o.note]
        for o in metric.observations.all()
    ]
    return f"{metric.initiative.title}: {metric.name}", header, grid
