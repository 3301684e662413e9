"""Small model helpers shared by the apps (not an app itself)."""

from typing import ClassVar, Self

from django.db import connections, models, router
from django.utils import timezone


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """`model`'s field `name`, which must be a field of its own (not a relation's other end)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{model.__name__}.{name} is not a field of its own")
    return field


def max_length_of(model: type[models.Model], name: str) -> int:
    """The `max_length` of `model`'s field `name`, which must have one."""
    length = concrete_field(model, name).max_length
    if length is None:
        raise ValueError(f"{model.__name__}.{name} has no max_length")
    return length


def column_of(model: type[models.Model], name: str) -> str:
    """The database column of `model`'s concrete field `name`, for SQL built from the model's
    own metadata (quote it with the connection's `quote_name`)."""
    column = concrete_field(model, name).column
    if column is None:
        raise ValueError(f"{model.__name__}.{name} has no column of its own")
    return column


class OrderedText(models.Model):
    """An item of an ordered list of verbatim text (a commitment, a learning objective)."""

    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class SingletonPage(models.Model):
    """The editable texts of one program's landing page. There is one row; `current()` loads it."""

    # Declared for the type checker: every concrete page has Django's default manager.
    objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first()


class SharedCounter(models.Model):
    """A counter every process shares, in the database: a key (a digest, never a name or an
    address), its count, and when it stops counting. The rate limits use it when there is no
    Redis (belong.lib.ratelimit); `hit` counts in one atomic statement (an upsert), so two
    processes counting the same key at the same moment both count."""

    key = models.CharField(max_length=120, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    # Declared for the type checker: every concrete counter has Django's default manager.
    objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True

    def __str__(self):
        return self.key

    @classmethod
    def hit(cls, key: str, *, expires_at, now=None) -> int:
        """Count one hit for `key` and return the count. A new key starts at 1; an expired one
        (`expires_at` before `now`) not yet deleted starts again at 1."""
        connection = connections[router.db_for_write(cls)]
        meta = cls._meta
        quote = connection.ops.quote_name
        table, key_column, hits, expires = (
            quote(meta.db_table),
            quote(column_of(cls, "key")),
            quote(column_of(cls, "hits")),
            quote(column_of(cls, "expires_at")),
        )
        field = cls.expires_at.field
        expires_value = field.get_db_prep_save(expires_at, connection)
        now_value = field.get_db_prep_save(now or timezone.now(), connection)
        # Names from the model's own metadata, quoted; values as parameters. PostgreSQL and
        # SQLite (3.35+) both speak INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING.
        sql = (
            f"INSERT INTO {table} ({key_column}, {hits}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET "
            f"{hits} = CASE WHEN {table}.{expires} < %s THEN 1 ELSE {table}.{hits} + 1 END, "
            f"{expires} = CASE WHEN {table}.{expires} < %s THEN %s ELSE {table}.{expires} END "
            f"RETURNING {hits}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, expires_value, now_value, now_value, expires_value])
            return cursor.fetchone()[0]

    @classmethod
    def count(cls, key: str, *, now=None) -> int:
        """The count of `key` now, without counting (0 once it has expired)."""
        row = cls.objects.filter(key=key, expires_at__gte=now or timezone.now()).first()
        return row.hits if row else 0

    @classmethod
    def reset(cls, key: str) -> None:
        cls.objects.filter(key=key).delete()

    @classmethod
    def delete_expired(cls, now=None) -> int:
        deleted, _ = cls.objects.filter(expires_at__lt=now or timezone.now()).delete()
        return deleted
