import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
application = get_wsgi_application()

# What start-up made (settings, models, every URL pattern and view module, some 300,000
# objects) lives as long as the process: freeze it, so the garbage collector stops walking
# it. A full collection took 90 ms, and a 1,000-record batch, which makes many objects,
# set one off every few requests: a third of the batch API's time in Python.
get_resolver().url_patterns  # noqa: B018  import the views now, not on the first request
gc.freeze()
