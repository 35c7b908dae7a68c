from django.urls import URLPattern, path

from xuanwen.records.pages import View
from xuanwen.records.urls import import_paths

from . import views, views_excel


def register_paths(page: View, pages: views.RegisterPages) -> list[URLPattern]:
    """One register of a bookhouse: its page and entry form under the bookhouse
    ("<pk>/loans/" named "loans", "<pk>/loans/new/" named "loan_create") and a row's edit and
    delete ("loans/<pk>/edit/" named "loan_edit", …), by the names `pages` declares."""
    create, edit, delete = pages.views()
    register, row = pages.register, pages.row
    return [
        path(f"<int:pk>/{register}/", page, name=register),
        path(f"<int:pk>/{register}/new/", create, name=f"{row}_create"),
        path(f"{register}/<int:pk>/edit/", edit, name=f"{row}_edit"),
        path(f"{register}/<int:pk>/delete/", delete, name=f"{row}_delete"),
    ]


app_name = "bookhouses"
urlpatterns = [
    path("", views.bookhouse_list, name="list"),
    path("<int:pk>/", views.bookhouse_detail, name="detail"),
    # One bookhouse's registers and their entry forms.
    *register_paths(views.stock_register, views.STOCK),
    *register_paths(views.loan_register, views.LOANS),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    *register_paths(views.demand_register, views.DEMANDS),
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
