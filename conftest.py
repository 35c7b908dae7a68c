"""pytest set-up shared by the whole suite."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # PBKDF2 at full strength makes every test that logs in slow; tests need no real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
