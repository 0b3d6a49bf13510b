"""Settings for `make test`: the development settings, with a fast password hasher
and each test run's own memory cache and database file. Servers started by tests
(the browser suite, the two-host and fault tests) use config.settings, as
production does."""

import os
import tempfile

from config.settings import *  # noqa: F403

# Hashing passwords properly is slow on purpose; tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "guide-tests",
    }
}
GUIDE_PAGE_CACHE = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production, not memory: tests of two saves at the same moment
    # run them in threads, and an in-memory database refuses a writer that should
    # wait for the other ("database table is locked") where a file lets it wait.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"guide-test-{os.getpid()}.sqlite3")
    }
