"""WSGI entry point: ``server:app`` for any WSGI server (``gcm-kg serve`` runs waitress)."""

from gcm_kg.web import create_app

app = create_app()
