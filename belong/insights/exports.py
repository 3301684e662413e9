"""Downloads of a figure: exactly what the page's table shows (hidden figures as "<11"), as
CSV and as XLSX (xlsxwriter)."""

import csv
import io

import xlsxwriter


def as_csv(figure) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([figure.title])
    writer.writerow(figure.header())
    writer.writerows(figure.grid())
    for note in figure.notes:
        writer.writerow([note])
    return out.getvalue()


def as_xlsx(figure) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(figure.slug[:31])
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, figure.title, bold)
    for j, heading in enumerate(figure.header()):
        sheet.write(1, j, heading, bold)
    grid = figure.grid()
    for i, line in enumerate(grid, start=2):
        for j, value in enumerate(line):
            # Counts that are shown are numbers; "<11", shares and labels stay text.
            if value.isdigit():
                sheet.write_number(i, j, int(value))
            else:
                sheet.write_string(i, j, value)
    for k, note in enumerate(figure.notes, start=len(grid) + 3):
        sheet.write(k, 0, note)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(figure.header()), 14)
    book.close()
    return out.getvalue()
