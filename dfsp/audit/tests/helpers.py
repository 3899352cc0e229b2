from django.db import connection

from dfsp.audit.services import record_event


def raw_execute(sql: str, params=None) -> None:
    """Plain SQL, as a database user would type it, bypassing the ORM's guards."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_many(count: int, **kwargs) -> list:
    return [
        record_event(event_type=f"test.event.{n}", object_type="thing", object_id=n, **kwargs)
        for n in range(count)
    ]
