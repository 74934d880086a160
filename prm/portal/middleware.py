"""Page-side answers to faults that are nobody's input error."""

from django.shortcuts import render

from prm.jobs.services import QueueUnavailable


class QueueUnavailableMiddleware:
    """A page that started a job while the job queue (Redis) is down: a clear 503, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, QueueUnavailable):
            return None
        response = render(
            request,
            "portal/queue_unavailable.html",
            {
                "job": exception.job,
                "retry_after": exception.retry_after,
                "tenant": getattr(request, "tenant", None),
            },
            status=503,
        )
        response["Retry-After"] = str(exception.retry_after)
        return response
