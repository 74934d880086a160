from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health, metrics, logs. Its signal receivers are connected at start-up."""

    name = "prm.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import receivers

        receivers.connect()
