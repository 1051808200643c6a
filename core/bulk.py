"""Set-based writes for the sweeps: many rows in one statement, little Python per row.

Django's bulk_create() and bulk_update() are right but spend their time in Python, per row and
field: bulk_update() builds a CASE WHEN per row and field (about 4 s for a batch of 500 incidents,
measured), and bulk_create(ignore_conflicts=True) cannot say which rows it inserted. A sweep of
100,000 overdue incidents cannot afford either. On PostgreSQL each column travels as one array
through UNNEST (as Django's own bulk_create does): a few parameters instead of thousands, each
converted by the driver in C. Elsewhere (SQLite, for development) rows go as VALUES lists, in chunks.

`rows` are lists of database values in the order of writable_fields(model); values() makes one.
"""

from django.db import connection

# Rows per statement where each value is a parameter (SQLite): SQLite takes 32,766 parameters.
VALUES_CHUNK = 1000


def writable_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def values(instance, fields) -> list:
    """The database values of `instance` for `fields`, as Model.save() would write them."""
    return [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]


def _array_types(fields) -> list[str]:
    # "varchar" for varchar(64): an array of the base type, so nothing is truncated on the way.
    return [field.db_type(connection).split("(")[0] for field in fields]


def insert(model, rows: list[list], *, returning: list[str], ignore_conflicts: bool = False) -> list[tuple]:
    """INSERT `rows` and return the `returning` columns of each row inserted, in the order of `rows`.

    With `ignore_conflicts`, a row that would break a unique index is skipped and does not come
    back (ON CONFLICT DO NOTHING), whichever transaction wrote the row it collides with.
    """
    if not rows:
        return []
    meta, quote = model._meta, connection.ops.quote_name
    fields = writable_fields(model)
    into = f"{quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"
    tail = (" ON CONFLICT DO NOTHING" if ignore_conflicts else "") + " RETURNING "
    tail += ", ".join(quote(meta.get_field(name).column) for name in returning)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"(%s)::{kind}[]" for kind in _array_types(fields))
            sql = f"INSERT INTO {into} SELECT * FROM UNNEST({arrays}){tail}"  # noqa: S608 (names from the model)
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            return cursor.fetchall()
        inserted: list[tuple] = []
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = max(1, min(VALUES_CHUNK, connection.ops.bulk_batch_size(fields, rows)))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = f"INSERT INTO {into} VALUES {', '.join([row] * len(chunk))}{tail}"  # noqa: S608 (names from the model)
            cursor.execute(sql, [value for each in chunk for value in each])
            inserted.extend(cursor.fetchall())
        return inserted


def update(model, instances: list, names: list[str]) -> None:
    """Save the fields `names` of every instance in one UPDATE (on PostgreSQL; bulk_update() elsewhere)."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(instances, names)
        return
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.pk, *(meta.get_field(name) for name in names)]
    arrays = ", ".join(f"(%s)::{kind}[]" for kind in _array_types(fields))
    columns = ", ".join(quote(field.column) for field in fields)
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields[1:])
    pk = quote(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608 (names from the model)
            f"FROM UNNEST({arrays}) AS v({columns}) WHERE t.{pk} = v.{pk}",
            [
                [field.get_db_prep_save(getattr(item, field.attname), connection) for item in instances]
                for field in fields
            ],
        )
