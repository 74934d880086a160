"""The partners API's serializers, one module per resource."""
