"""pytest set-up shared by the whole suite."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # PBKDF2 at full strength makes every test that logs in slow; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: cached counts (core.versioned) belong to one
    database state, and tests roll theirs back."""
    from django.core.cache import cache

    cache.clear()
