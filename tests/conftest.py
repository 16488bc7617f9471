from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import FixtureServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PROJECT_FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def user_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """jobsift's user data folder (where it looks last for its sources file and database, and
    where a command run outside a project folder writes) is a temporary one for every test and
    every `jobsift` it starts: no test reads or writes the real one (XDG_DATA_HOME, Linux)."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("user-data")
        patch.setenv("XDG_DATA_HOME", str(folder))
        patch.delenv("JOBSIFT_HOME", raising=False)
        yield folder


@pytest.fixture(scope="session")
def shared() -> Path:
    """`../shared` beside the checkout (fixtures from elsewhere); tests needing it skip without it."""
    if not (SHARED / "fixtures").is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def real_fixtures(shared: Path) -> Path:
    return shared / "fixtures" / "real"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with FixtureServer() as fixture_server:
        yield fixture_server
