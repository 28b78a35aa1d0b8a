"""The module-level app for WSGI servers: ``gunicorn api.wsgi:app``."""

from api import create_app

app = create_app()
