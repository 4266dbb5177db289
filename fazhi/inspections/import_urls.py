"""Excel/CSV import and export of the 双随机 directories (namespace ``inspection_imports``).

Included in config/urls.py under ``inspections/`` beside ``fazhi.inspections.urls``. The pages
are the catalog's import pages (:mod:`fazhi.catalog.import_views`) for this app's group.
"""

from django.urls import URLPattern

from fazhi.catalog.import_urls import import_patterns
from fazhi.inspections.imports import IMPORT_GROUP

app_name = "inspection_imports"

urlpatterns: list[URLPattern] = import_patterns(IMPORT_GROUP)
