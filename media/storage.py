"""Upload storage on the local disk that leaves nothing half-written behind."""

import contextlib
import os

from django.core.files import storage


class FileSystemStorage(storage.FileSystemStorage):
    """Django's file storage, except that a write that fails part-way (a full disk) removes its file.

    Django's own storage leaves the partial file in MEDIA_ROOT when the disk fills up. The error
    still propagates: the model's row is never inserted, and heritage.outages tells the editor the
    file was not saved (docs/faults.md).
    """

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError:
            # ``name`` is free when save() calls _save (get_available_name), so a file there now is
            # the one this write created.
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path(name))
            raise
