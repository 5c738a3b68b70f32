from __future__ import annotations

from pathlib import Path

import pytest

from fleet.faults import FleetFaults
from gateway.settings import Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)
    assert settings.fleet_path == Path(".crate/fleet.db")
    assert settings.key_path == Path(".crate/keys.db")
    assert settings.embedded_fleet is True
    assert settings.producer_url("mb-works") is None
    assert settings.fleet_faults == FleetFaults()


def test_fleet_url_and_per_producer_urls() -> None:
    settings = Settings.from_env(
        {
            "CRATE_FLEET_URL": "http://fleet:8090/",
            "CRATE_PRODUCER_DISCOGS_COLLECTOR_URL": "https://collector.internal/v1",
        }
    )
    assert settings.embedded_fleet is False
    assert settings.producer_url("mb-works") == "http://fleet:8090/mb-works/"
    assert settings.producer_url("discogs-collector") == "https://collector.internal/v1/"


def test_one_producer_elsewhere_keeps_the_embedded_fleet_for_the_rest() -> None:
    settings = Settings.from_env({"CRATE_PRODUCER_MB_WORKS_URL": "http://mb:1"})
    assert settings.embedded_fleet is True
    assert settings.producer_url("mb-works") == "http://mb:1/"
    assert settings.producer_url("press-index") is None


def test_values_are_parsed_and_bounded() -> None:
    settings = Settings.from_env(
        {
            "CRATE_PORT": "9000",
            "CRATE_PRODUCER_TIMEOUT_MS": "250",
            "CRATE_LOG_LEVEL": "DEBUG",
            "CRATE_FLEET_FAIL": "mb-works",
        }
    )
    assert (settings.port, settings.producer_timeout_ms, settings.log_level) == (9000, 250, "debug")
    assert settings.fleet_faults.fail == {"mb-works"}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CRATE_PORT": "eighty"}, "CRATE_PORT: Input should be a valid integer"),
        ({"CRATE_PORT": "70000"}, "CRATE_PORT: Input should be less than or equal to 65535"),
        ({"CRATE_PRODUCER_TIMEOUT_MS": "0"}, "CRATE_PRODUCER_TIMEOUT_MS: Input should be greater than or equal to 1"),
        ({"CRATE_LOG_LEVEL": "loud"}, "CRATE_LOG_LEVEL: Value error, must be debug, info, warning or error"),
        ({"CRATE_FLEET_HANG": "nobody"}, "CRATE_FLEET_HANG: unknown producer(s) nobody"),
    ],
)
def test_bad_values_name_their_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    assert message in str(caught.value)


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(Exception, match="frozen"):
        settings.port = 1  # type: ignore[misc]
