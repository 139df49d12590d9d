from django.urls import path

from goals.portability.views import (
    export_everything,
    export_one_plan,
    import_cancel,
    import_confirm,
    import_upload,
)

urlpatterns = [
    path("export/", export_everything, name="export"),
    path("plan/<int:plan_pk>/export/", export_one_plan, name="plan_export"),
    path("import/", import_upload, name="import"),
    path("import/review/", import_confirm, name="import_confirm"),
    path("import/cancel/", import_cancel, name="import_cancel"),
]
