"""Finding project images from what a user typed: an id, an image name, or an image file.

Every command that takes IMAGE arguments (``iris restore``, ``iterate``,
``score --project``, ``judge``) asks here, so an id, a name and a file mean the
same thing everywhere. A file is matched by its content (SHA-256); a file the
project does not hold yet is imported only when the caller says so
(``import_files=True``), since an import writes to the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.errors import IrisError


def resolve_images(
    project_dir: str | Path, specs: Sequence[str], *, import_files: bool
) -> list[int]:
    """Image ids for ``specs`` (ids, image names or files), in order; IrisError naming a bad one.

    A name that several images share is refused (give an id). With
    ``import_files`` a file not in the project is imported first, as ``iris
    import`` would; without it such a file is refused.
    """
    from core.project import Project

    ids: list[int] = []
    with Project.open(project_dir) as project:
        by_name: dict[str, list[int]] = {}
        for record in project.images():
            by_name.setdefault(record.name, []).append(record.id)
        for spec in specs:
            path = Path(spec)
            if spec.isdigit():
                ids.append(project.image(int(spec)).id)
            elif path.is_file():
                ids.append(_file_image(project, path, import_files))
            elif spec in by_name:
                if len(by_name[spec]) > 1:
                    raise IrisError(f"{spec!r} names {len(by_name[spec])} images; give an id")
                ids.append(by_name[spec][0])
            else:
                raise IrisError(f"{spec!r}: not an image id, image name or file of this project")
    return ids


def _file_image(project, path: Path, import_files: bool) -> int:
    """The id of the image whose content ``path`` holds, imported first if allowed."""
    from core.imageio import read_image_file
    from core.project.blobs import sha256_of
    from core.project.importer import import_paths

    found = project.find_images(sha256_of(read_image_file(path)))
    if found:
        return found[0].id
    if not import_files:
        raise IrisError(f"{path}: this image file is not in the project (import it first)")
    report = import_paths(project.path, [path])
    if report.errors:
        raise IrisError(report.errors[0][1])
    return project.image(report.imported[0]).id
