"""The database as Celery's broker, for development: kombu's SQLAlchemy transport.

With DEBUG on and no ``CELERY_BROKER_URL``, the worker and beat that ``make run`` starts
queue their tasks in two tables (``kombu_queue``, ``kombu_message``) of the service's own
PostgreSQL, embedded or not, so a newcomer sees imports and pack builds run on a worker, with
their progress, without installing Redis. The transport polls the table (a queued task
starts within about a second) and does not hand a task out again when the worker that took
it is killed, which is why production names a Redis broker.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def database_broker_urls(database: dict[str, object]) -> tuple[str, str]:
    """(broker URL, result backend URL) for Django database settings, through psycopg 3.

    A ``HOST`` that is a directory (the embedded server's socket) goes in the query string,
    where libpq reads it; SQLAlchemy's URL has no place for a path as a host name.
    """
    user = quote(str(database.get("USER") or ""), safe="")
    password = database.get("PASSWORD")
    credentials = f"{user}:{quote(str(password), safe='')}" if password else user
    host = str(database.get("HOST") or "")
    port = str(database.get("PORT") or "")
    name = quote(str(database["NAME"]), safe="")
    if host.startswith("/"):
        query = {"host": host, **({"port": port} if port else {})}
        address = f"{credentials}@/{name}?{urlencode(query)}"
    else:
        address = f"{credentials}@{host or 'localhost'}{':' + port if port else ''}/{name}"
    url = f"postgresql+psycopg://{address}"
    return f"sqla+{url}", f"db+{url}"
