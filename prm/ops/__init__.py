"""What an operator sees of the running product: health, metrics, structured logs, error tracking.

Nothing domain-specific: the request id and the job of the moment (``context``), the health and
readiness checks (``health``), the middleware that answers them and tags every request
(``middleware``), the JSON log lines (``logs``), the Prometheus metrics (``metrics``) and the
optional error tracker (``sentry``).
"""
