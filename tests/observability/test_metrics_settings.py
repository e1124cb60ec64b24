"""The metrics endpoint's setting: an address without a port is refused when the settings are
read, and a port already taken stops the process with a sentence naming the setting."""

from __future__ import annotations

import socket

import pytest
from pydantic import ValidationError

from config import Settings
from observability.metrics import MetricsUnavailable, install_runtime
from tests.cli.running import free_port


@pytest.mark.parametrize("address", ["9464", "127.0.0.1", "127.0.0.1:port", "127.0.0.1:70000"])
def test_an_address_without_a_usable_port_is_refused_with_an_example(address):
    with pytest.raises(ValidationError, match=r"127\.0\.0\.1:9464"):
        Settings(metrics_address=address)


def test_an_empty_address_opens_no_endpoint():
    assert Settings(metrics_address="", worker_health_address=" ").metrics_address == ""


def test_a_metrics_port_already_taken_is_refused_naming_the_setting():
    with socket.socket() as taken:
        port = free_port()
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(MetricsUnavailable, match=f"127.0.0.1:{port}.*CCHC_METRICS_ADDRESS"):
            install_runtime(Settings(metrics_address=f"127.0.0.1:{port}"))
