from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary-template.docx", views.summary_template, name="summary_template"),
    path("summary.docx", views.summary_docx, name="summary_docx"),
    path("summary-appendix.xlsx", views.summary_appendix, name="summary_appendix"),
]
