"""Errors raised while talking to a producer.

    ProducerError
     ├── ProducerTimeout        the producer took longer than its timeout
     ├── DeadlineExceeded       the request's deadline ran out before or during the call
     ├── ProducerUnavailable    connecting or talking to it failed (refused, reset, DNS)
     ├── ProducerHTTPError      it answered with a non-200 status
     ├── ProducerBadResponse    it answered 200 with a body that is not the batch protocol
     └── CircuitOpen            its breaker is open; it was not called

They never leave `producers/`: the client turns each into a per-key `Failed`
outcome (its `code` is the facet's degraded `reason`).
"""

from __future__ import annotations

__all__ = [
    "CircuitOpen",
    "DeadlineExceeded",
    "ProducerBadResponse",
    "ProducerError",
    "ProducerHTTPError",
    "ProducerTimeout",
    "ProducerUnavailable",
]


class ProducerError(Exception):
    code = "producer_error"
    #: whether the failure says something about the producer's health (feeds its breaker)
    counts_against_producer = True


class ProducerTimeout(ProducerError):
    code = "timeout"


class DeadlineExceeded(ProducerError):
    code = "deadline_exceeded"
    counts_against_producer = False


class ProducerUnavailable(ProducerError):
    code = "unavailable"


class ProducerHTTPError(ProducerError):
    code = "http_error"

    def __init__(self, status: int) -> None:
        super().__init__(f"answered HTTP {status}")
        self.status = status


class ProducerBadResponse(ProducerError):
    code = "bad_response"


class CircuitOpen(ProducerError):
    code = "circuit_open"
    counts_against_producer = False
