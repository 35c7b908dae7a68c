from django.urls import path

from xuanwen.records.urls import import_paths

from . import views, views_excel

app_name = "bookhouses"
urlpatterns = [
    path("", views.bookhouse_list, name="list"),
    path("<int:pk>/", views.bookhouse_detail, name="detail"),
    # One bookhouse's registers and their entry forms.
    path("<int:pk>/stock/", views.stock_register, name="stock"),
    path("<int:pk>/stock/new/", views.stock_create, name="stock_create"),
    path("stock/<int:pk>/edit/", views.stock_edit, name="stock_edit"),
    path("stock/<int:pk>/delete/", views.stock_delete, name="stock_delete"),
    path("<int:pk>/loans/", views.loan_register, name="loans"),
    path("<int:pk>/loans/new/", views.loan_create, name="loan_create"),
    path("loans/<int:pk>/edit/", views.loan_edit, name="loan_edit"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("loans/<int:pk>/delete/", views.loan_delete, name="loan_delete"),
    path("<int:pk>/demands/", views.demand_register, name="demands"),
    path("<int:pk>/demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/delete/", views.demand_delete, name="demand_delete"),
    # The subtree's registers; `loans/?status=overdue` is the overdue list.
    path("stock/", views.stock_all, name="stock_all"),
    path("loans/", views.loans_all, name="loans_all"),
    path("demands/", views.demands_all, name="demands_all"),
]
# Excel, per register: import template, import (upload → preview → confirm), export of the
# subtree's filtered list ("stock/import/" named "stock_import", …).
for register in views_excel.FLOWS:
    urlpatterns += import_paths(
        views_excel.FLOWS[register],
        views_excel.EXPORTS[register],
        data=views_excel.DATA_EXPORTS[register],
        prefix=f"{register}/",
        name=f"{register}_",
    )
