"""The PDF renderer reads local static files and nothing else, however a URL is spelled."""

import io
import os

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from prm.pdf import _static_fetcher, static_path


@pytest.fixture
def static_root(settings, tmp_path):
    """A project folder with static/logo.png and a secret file beside static/."""
    settings.BASE_DIR = tmp_path
    (tmp_path / "static").mkdir()
    Image.new("RGB", (8, 8), "blue").save(tmp_path / "static" / "logo.png")
    (tmp_path / "secret.txt").write_text("SECRET_KEY=...")
    os.symlink(tmp_path / "secret.txt", tmp_path / "static" / "link.txt")
    return tmp_path / "static"


def test_a_static_file_is_served(static_root):
    assert static_path((static_root / "logo.png").as_uri()) == (static_root / "logo.png").resolve()


@pytest.mark.parametrize(
    "spelling",
    [
        "{root}/../secret.txt",
        "{root}/%2e%2e/secret.txt",
        "{root}/%2E%2E/secret.txt",
        "{root}/logo.png/../../secret.txt",
        "{root}/link.txt",  # a symlink that leaves the folder
        "file:///etc/passwd",
        "file://evil.example{root_path}/logo.png",
        "http://127.0.0.1:8000/static/prm/app.css",
        "https://example.com/logo.png",
        "data:text/plain,hello",
    ],
)
def test_anything_outside_static_is_refused(static_root, spelling):
    url = spelling.format(root=static_root.as_uri(), root_path=str(static_root))
    with pytest.raises(ValueError, match="refusing"):
        static_path(url)


def test_a_template_with_a_local_image_renders_it_into_the_pdf(static_root):

    html = '<p>Logo</p><img src="logo.png" style="width: 20mm"><img src="../secret.txt">'
    pdf = HTML(string=html, base_url=str(static_root) + "/", url_fetcher=_static_fetcher()).write_pdf()

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    images = page.images
    assert len(images) == 1  # the logo; the file outside static/ was not fetched
    assert Image.open(io.BytesIO(images[0].data)).size == (8, 8)
