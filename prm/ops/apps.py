from django.apps import AppConfig

from . import receivers, sentry


class OpsConfig(AppConfig):
    """Operations: health, metrics, logs. Its signal receivers are connected at start-up, and the
    error tracker is started when it is configured."""

    name = "prm.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        receivers.connect()
        sentry.init_from_settings()
