"""The frontier's atomic steps on a real redis-server: each request queued once, held until acked,
a dead worker's requests back in the queue, an ack after that not counted twice; host leases."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from jobsift.crawlers.distributed.frontier import Frontier, connect
from jobsift.crawlers.distributed.limiter import _ACQUIRE

from tests.support.redis import redis_url  # noqa: F401 (the fixture)


@pytest.fixture
def frontier(redis_url: str) -> Iterator[Frontier]:  # noqa: F811
    client = connect(redis_url)
    yield Frontier(client, "run1")
    client.close()


def test_a_request_is_queued_once_and_counted_pending_until_acked(frontier: Frontier) -> None:
    assert frontier.push("s", "fp1", b"one") is True
    assert frontier.push("s", "fp1", b"one again") is False  # seen: not queued, not counted
    assert frontier.push("s", None, b"never filtered") is True
    assert frontier.push("s", None, b"never filtered") is True
    assert (frontier.queued("s"), frontier.pending("s")) == (3, 3)
    held, data = frontier.pop("s", "w1")
    assert data == b"one"  # first queued, first served
    assert (frontier.queued("s"), frontier.pending("s")) == (2, 3)
    assert frontier.ack("s", "w1", [held]) == 1
    assert frontier.ack("s", "w1", [held]) == 0  # acked once only
    assert frontier.pending("s") == 2


def test_a_dead_workers_requests_go_back_first_and_a_late_ack_does_not_count(
    frontier: Frontier,
) -> None:
    for n in range(3):
        frontier.push("s", f"fp{n}", f"r{n}".encode())
    frontier.join("s", "w1")
    frontier.join("s", "w2")
    frontier.heartbeat("w1", 0.2)
    frontier.heartbeat("w2", 30)
    first, _ = frontier.pop("s", "w1")
    assert frontier.reclaim_dead(["s"]) == {}  # w1 is alive: nothing moves
    time.sleep(0.3)
    assert frontier.reclaim_dead(["s"]) == {"w1": 1}
    assert frontier.dead() == {"w1"}
    again, data = frontier.pop("s", "w2")
    assert data == b"r0"  # the reclaimed request is served before the others
    assert frontier.ack("s", "w1", [first]) == 0  # w1 was slow, not dead: its ack does not count
    assert frontier.pending("s") == 3
    assert frontier.ack("s", "w2", [again]) == 1
    assert frontier.pending("s") == 2


def test_host_leases_cap_requests_in_flight_and_expire(redis_url: str) -> None:  # noqa: F811
    client = redis.Redis.from_url(redis_url)
    acquire = client.register_script(_ACQUIRE)
    keys = ["jobsift:host:h:leases", "jobsift:host:h:next"]
    granted = [int(acquire(keys=keys, args=[2, 0, 300, f"l{n}"])) for n in range(3)]
    assert granted == [0, 0, -1]  # a budget of 2: the third waits
    client.zrem(keys[0], "l0")  # a response came back
    assert int(acquire(keys=keys, args=[2, 0, 300, "l3"])) == 0
    assert int(acquire(keys=keys, args=[2, 0, 300, "l4"])) == -1
    time.sleep(0.35)  # leases of a worker that never gave them back expire
    assert int(acquire(keys=keys, args=[2, 0, 300, "l5"])) == 0
    client.close()


def test_host_delay_spaces_request_starts(redis_url: str) -> None:  # noqa: F811
    client = redis.Redis.from_url(redis_url)
    acquire = client.register_script(_ACQUIRE)
    keys = ["jobsift:host:d:leases", "jobsift:host:d:next"]
    waits = [int(acquire(keys=keys, args=[8, 1000, 60_000, f"l{n}"])) for n in range(3)]
    assert waits[0] == 0
    assert 900 <= waits[1] <= 1000 and 1900 <= waits[2] <= 2000  # one second apart
    client.close()
