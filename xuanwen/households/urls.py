from xuanwen.records.urls import import_paths, record_paths

from . import views, views_excel

app_name = "households"
urlpatterns = [
    *record_paths(views.household_list, views.household_detail, views.PAGES),
    # Excel: import template, import (upload → preview → confirm), the list's report export.
    *import_paths(views_excel.FLOW, views_excel.export, data=views_excel.data_export),
]
