"""A real server of every dialect for the clients' tests: the gateway itself,
``serve`` in a second process on a free loopback port, over the demo tenant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.serving import Served, serving


@pytest.fixture(scope="session")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One for the whole session: each test writes records of its own."""
    with serving(tmp_path_factory.mktemp("real") / "real.db") as served:
        yield served
