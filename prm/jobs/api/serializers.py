from django.urls import reverse
from rest_framework import serializers

from prm.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "url",
            "params",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_url(self, job) -> str:
        path = reverse("api:job-detail", kwargs={"tenant": self.context["tenant"].slug, "pk": job.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
