"""Excel import and export pages (included by ``fazhi.catalog.urls``, namespace ``catalog``).

:func:`import_patterns` builds the same pages for any import group; another app includes its
own group's under a namespace of its own (``fazhi.inspections.import_urls``).
"""

from django.urls import URLPattern, path

from fazhi.catalog import import_views as views
from fazhi.catalog.imports import IMPORT_GROUP, ImportGroup


def import_patterns(group: ImportGroup) -> list[URLPattern]:
    """The import pages of ``group``; every view receives it as the keyword ``group``."""
    # One file type: the download's path ends in its extension. Several: ``?format=`` picks
    # one, so the path ends in "/".
    ext = "/" if group.csv else ".xlsx"
    kwargs = {"group": group}
    return [
        path("imports/", views.import_list, kwargs, name="import_list"),
        path("imports/upload/", views.import_upload, kwargs, name="import_upload"),
        path("imports/<int:pk>/", views.import_detail, kwargs, name="import_detail"),
        path("imports/<int:pk>/progress/", views.import_progress, kwargs, name="import_progress"),
        path("imports/<int:pk>/apply/", views.import_apply, kwargs, name="import_apply"),
        path("imports/<int:pk>/errors.xlsx", views.import_errors, kwargs, name="import_errors"),
        path(
            f"imports/templates/<slug:kind>{ext}",
            views.template_download,
            kwargs,
            name="template_download",
        ),
        path(f"exports/<slug:kind>{ext}", views.export_download, kwargs, name="export_download"),
    ]


urlpatterns: list[URLPattern] = import_patterns(IMPORT_GROUP)
