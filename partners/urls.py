"""Portal pages of partners/ (mounted under /t/<tenant>/)."""

app_name = "partners"

urlpatterns: list = []
