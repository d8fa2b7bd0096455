"""The plain Django floor: a minimal Django project the benchmark measures every page against.

No middleware, no apps, no database, no templates: one view returning the same 20 KB page as the
site's floor (bench/urls.py), served by gunicorn with the site's own settings (gunicorn.conf.py,
same workers). What this project serves per second is what Django itself can serve on the machine
of the run; every page's ratio to it shows what the site adds.
"""

import os

SECRET_KEY = os.environ.get("SECRET_KEY") or "plain-floor-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.plain.urls"
WSGI_APPLICATION = "bench.plain.wsgi.application"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
TEMPLATES = []
USE_I18N = False
USE_TZ = True
LOGGING_CONFIG = None
