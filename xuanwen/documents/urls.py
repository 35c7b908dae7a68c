from django.urls import path

from . import views, views_jobs, views_templates

app_name = "documents"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary-template.docx", views.summary_template, name="summary_template"),
    path("summary.docx", views.summary_docx, name="summary_docx"),
    path("summary-appendix.xlsx", views.summary_appendix, name="summary_appendix"),
    path("plan-draft.docx", views.plan_docx, name="plan_docx"),
    path("notice.docx", views.notice_docx, name="notice_docx"),
    path("notice-appendix.xlsx", views.notice_appendix, name="notice_appendix"),
    path("statistics.xlsx", views.statistics, name="statistics"),
    path("templates/", views_templates.templates, name="templates"),
    path("templates/template.docx", views_templates.template_download, name="template_download"),
    path("templates/upload/", views_templates.template_upload, name="template_upload"),
    path("templates/revert/", views_templates.template_revert, name="template_revert"),
    path("templates/<int:pk>/restore/", views_templates.template_restore, name="template_restore"),
    path("zip/", views_jobs.zip_start, name="zip"),
    path("jobs/<int:pk>/", views_jobs.job_page, name="job"),
    path("jobs/<int:pk>/status/", views_jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/download.zip", views_jobs.job_download, name="job_download"),
]
