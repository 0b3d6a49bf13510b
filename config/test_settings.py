"""Settings for `make test`: the development settings, with a fast password hasher
and each test run's own memory cache. Servers started by tests (the browser
suite, the two-host and fault tests) use config.settings, as production does."""

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
