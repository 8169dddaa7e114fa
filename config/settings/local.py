"""Settings for a laptop: debug on, e-mails printed on the console."""

import os

# A fixed key is fine on a laptop; production refuses to start without SECRET_KEY.
os.environ.setdefault("SECRET_KEY", "local-development-key-change-me-in-production")

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = env.bool("DEBUG", default=True)
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
