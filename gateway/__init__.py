"""The gateway: wires dialects to backends and serves them over HTTP."""

from gateway.app import create_app
from gateway.settings import Settings, load_settings

__all__ = ["Settings", "create_app", "load_settings"]
