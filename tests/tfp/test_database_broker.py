"""Celery's broker: named in production, the service's own database under DEBUG (make run)."""

from __future__ import annotations

import uuid

from django.db import connection
from kombu import Connection
from sqlalchemy.pool import NullPool

from tests.accounts.test_settings import import_settings
from tfp.database_broker import database_broker_urls

PRINT_BROKER = "print(tfp.settings.CELERY_BROKER_URL)"


def test_no_broker_stops_the_web_server_from_starting_when_debug_is_off():
    result = import_settings(
        DEBUG="false", SECRET_KEY="x" * 60, CELERY_BROKER_URL="", code="import tfp.wsgi"
    )

    assert result.returncode != 0
    assert "CELERY_BROKER_URL must be set when DEBUG is off" in result.stderr


def test_no_broker_stops_a_celery_worker_and_beat_from_starting_when_debug_is_off():
    refuse = (
        "from celery import signals\nimport django; django.setup()\nsignals.{}.send(sender=None)"
    )
    for signal in ("worker_init", "beat_init"):
        result = import_settings(
            DEBUG="false", SECRET_KEY="x" * 60, CELERY_BROKER_URL="", code=refuse.format(signal)
        )
        assert result.returncode != 0, signal
        assert "CELERY_BROKER_URL must be set when DEBUG is off" in result.stderr


def test_without_a_broker_and_debug_off_the_commands_do_their_work_in_process():
    """data-formats.md's commands, as scripts and the acceptance checks run them."""
    result = import_settings(
        DEBUG="false",
        SECRET_KEY="x" * 60,
        CELERY_BROKER_URL="",
        code="print(tfp.settings.CELERY_TASK_ALWAYS_EAGER, tfp.settings.DATABASE_BROKER)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True False"


def test_check_deploy_reports_the_missing_broker():
    result = import_settings(
        DEBUG="false",
        SECRET_KEY="x" * 60,
        CELERY_BROKER_URL="",
        code=(
            "import django; django.setup()\n"
            "from django.core import checks\n"
            "print([m.id for m in checks.run_checks(include_deployment_checks=True)])"
        ),
    )

    assert "tfp.E001" in result.stdout, result.stderr


def test_with_debug_on_and_no_broker_the_database_is_the_broker():
    result = import_settings(DEBUG="true", CELERY_BROKER_URL="", code=PRINT_BROKER)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sqla+postgresql+psycopg://nobody@127.0.0.1:1/none"


def test_a_named_broker_is_used_as_given():
    result = import_settings(
        DEBUG="true", CELERY_BROKER_URL="redis://127.0.0.1:6379/4", code=PRINT_BROKER
    )

    assert result.stdout.strip() == "redis://127.0.0.1:6379/4"


def test_the_embedded_servers_socket_directory_goes_in_the_query_string():
    broker, results = database_broker_urls(
        {"NAME": "tfp", "USER": "postgres", "HOST": "/tmp/pg socket", "PORT": "5433"}
    )

    assert broker == "sqla+postgresql+psycopg://postgres@/tfp?host=%2Ftmp%2Fpg+socket&port=5433"
    assert results == broker.replace("sqla+", "db+", 1)


def test_a_message_goes_through_the_database_broker_and_back(db):
    broker, _ = database_broker_urls(connection.settings_dict)
    queue_name = f"tfp-test-{uuid.uuid4().hex}"

    # No pool: nothing keeps a session on the test database once the test is done.
    with Connection(broker, transport_options={"poolclass": NullPool}) as broker_connection:
        queue = broker_connection.SimpleQueue(queue_name)
        queue.put({"family": "H00083"})
        message = queue.get(timeout=5)
        message.ack()
        queue.close()

    assert message.payload == {"family": "H00083"}
