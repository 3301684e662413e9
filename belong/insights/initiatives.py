"""Every change to health-disparities initiatives, their metrics and observations. Who may see
and change them is decided in belong/insights/access.py (an initiative's lead and DEI
administrators change it; analysts and leadership see every initiative, a lead sees their own)."""

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from belong.insights import access
from belong.insights.models import Initiative, Metric, Observation
from belong.lib import dates
from belong.lib.refusals import Refusal
from belong.people.actions import audit

MAX_IMPORT_ROWS = 5000


class Refused(Refusal):
    """A change the rules do not allow; `field` names what it is about, `errors` lists the rows
    of an import at fault as (line, column, message)."""

    field = "initiative"

    def __init__(self, message, *, errors=(), **kwargs):
        super().__init__(message, **kwargs)
        self.errors = list(errors)


def _changer_only(actor, initiative):
    if not access.can_change_initiative(actor, initiative):
        raise PermissionDenied


def _slug(title):
    base = slugify(title)[:70] or "initiative"
    slug, n = base, 1
    while Initiative.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_initiative(*, actor, **fields) -> Initiative:
    if not access.can_create_initiatives(actor):
        raise PermissionDenied
    initiative = Initiative.objects.create(slug=_slug(fields["title"]), **fields)
    audit(actor=actor, verb="initiative.created", obj=initiative)
    return initiative


@transaction.atomic
def update_initiative(initiative, *, actor, **fields) -> Initiative:
    _changer_only(actor, initiative)
    changed = [name for name, value in fields.items() if getattr(initiative, name) != value]
    for name in changed:
        setattr(initiative, name, fields[name])
    if changed:
        initiative.save(update_fields=[*changed, "updated_at"])
        audit(actor=actor, verb="initiative.changed", obj=initiative, fields=changed)
    return initiative


def add_metric(initiative, *, actor, **fields) -> Metric:
    _changer_only(actor, initiative)
    try:
        with transaction.atomic():
            metric = Metric.objects.create(initiative=initiative, **fields)
            audit(actor=actor, verb="initiative.metric_added", obj=metric)
    except IntegrityError:
        raise Refused(
            _("This initiative already has a metric with that name."), field="name"
        ) from None
    return metric


@transaction.atomic
def record(metric, *, actor, observed_on, value, note="") -> Observation:
    """The metric's value on a day; a second value for the same day replaces the first."""
    _changer_only(actor, metric.initiative)
    observation, _created = Observation.objects.update_or_create(
        metric=metric,
        observed_on=observed_on,
        defaults={"value": value, "note": note, "entered_by": actor},
    )
    audit(actor=actor, verb="initiative.observed", obj=metric, on=observed_on.isoformat())
    return observation


def _row_errors(line, row, metrics):
    errors, parsed = [], {}
    name = (row.get("metric") or "").strip()
    if name not in metrics:
        errors.append((line, "metric", _("No metric named “%(name)s”.") % {"name": name}))
    else:
        parsed["metric"] = metrics[name]
    try:
        parsed["observed_on"] = datetime.date.fromisoformat((row.get("date") or "").strip())
        dates.validate_day(parsed["observed_on"])
    except ValueError:
        errors.append((line, "date", _("Write the date as YYYY-MM-DD.")))
    except ValidationError as refusal:
        errors.append((line, "date", refusal.messages[0]))
    try:
        value = Decimal((row.get("value") or "").strip())
        if not value.is_finite() or abs(value) >= Decimal(10) ** 9:
            raise InvalidOperation
        parsed["value"] = value.quantize(Decimal("0.001"))
    except InvalidOperation:
        errors.append((line, "value", _("Write the value as a number, such as 12.5.")))
    note = (row.get("note") or "").strip()
    if len(note) > 300:
        errors.append((line, "note", _("A note has at most 300 characters.")))
    parsed["note"] = note
    return errors, parsed


def _read_rows(initiative, reader):
    required = {"metric", "date", "value"}
    if reader.fieldnames is None or not required <= {f.strip() for f in reader.fieldnames}:
        raise Refused(
            _("The first row must name the columns: metric, date, value (and, if you like, note)."),
            field="file",
        )
    reader.fieldnames = [f.strip() for f in reader.fieldnames]
    metrics = {m.name: m for m in initiative.metrics.all()}
    rows, errors = [], []
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_IMPORT_ROWS:
            raise Refused(
                _("A file holds at most %(most)s rows.") % {"most": MAX_IMPORT_ROWS}, field="file"
            )
        row_errors, parsed = _row_errors(line, row, metrics)
        errors.extend(row_errors)
        rows.append(parsed)
    return rows, errors


def import_observations(initiative, *, actor, text) -> int:
    """Observations from CSV (columns metric, date, value and, if wanted, note; a header row).
    All or nothing: every row is checked first, and any error refuses the whole file with
    each row and column at fault."""
    _changer_only(actor, initiative)
    try:
        rows, errors = _read_rows(initiative, csv.DictReader(io.StringIO(text)))
    except csv.Error as error:  # such as a cell longer than the reader takes
        raise Refused(
            _("The file could not be read as CSV: %(error)s.") % {"error": error}, field="file"
        ) from None
    if errors:
        raise Refused(_("Nothing was imported: correct these rows."), field="file", errors=errors)
    if not rows:
        raise Refused(_("The file has no rows under its header."), field="file")
    with transaction.atomic():
        for parsed in rows:
            record(parsed.pop("metric"), actor=actor, **parsed)
    return len(rows)
