from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health, metrics, logs. Its signal receivers are connected at start-up, and the
    error tracker is started when it is configured."""

    name = "prm.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        # here, not at the top: the receivers import django-axes' signals, which import its models,
        # and models may be imported only once the registry has loaded every app
        from . import receivers, sentry  # noqa: PLC0415 - receivers import axes' models (see above)

        receivers.connect()
        sentry.init_from_settings()
