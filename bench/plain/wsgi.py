"""WSGI entry of the plain floor: `gunicorn -c gunicorn.conf.py bench.plain.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.plain.settings"
application = get_wsgi_application()
