"""Where uploaded files live: in PostgreSQL (``StoredFile``), not on an app
server's disk, so that any app server serves any file and ``pg_dump`` is the
whole backup. An installation that names an S3-compatible bucket
(``FILE_STORAGE_S3_BUCKET``) keeps them there instead, through
django-storages."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible


@deconstructible
class DatabaseStorage(Storage):
    """Django's storage API over the ``StoredFile`` table. Files are read and
    written whole: the forms limit an upload to 10 MB."""

    def _open(self, name, mode="rb"):
        from finsam.models import StoredFile

        row = StoredFile.objects.filter(name=name).only("content").first()
        if row is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(row.content), name=name)

    def _save(self, name, content):
        from finsam.models import StoredFile

        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        StoredFile.objects.create(name=name, content=data, size=len(data))
        return name

    def exists(self, name):
        from finsam.models import StoredFile

        return StoredFile.objects.filter(name=name).exists()

    def delete(self, name):
        from finsam.models import StoredFile

        StoredFile.objects.filter(name=name).delete()

    def size(self, name):
        from finsam.models import StoredFile

        row = StoredFile.objects.filter(name=name).only("size").first()
        if row is None:
            raise FileNotFoundError(name)
        return row.size

    def listdir(self, path):
        from finsam.models import StoredFile

        prefix = f"{path.rstrip('/')}/" if path else ""
        names = StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True)
        rest = [name[len(prefix) :] for name in names]
        return sorted({r.split("/")[0] for r in rest if "/" in r}), sorted(
            r for r in rest if "/" not in r
        )

    def url(self, name):
        # Files are served by the views that check who may see them, never by URL.
        raise NotImplementedError("Filer i databasen har ingen egen adress.")
