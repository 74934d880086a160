"""Demo requests (placeholder until the story is written)."""


def seed(tenant, **kwargs) -> None:
    """Nothing yet."""
