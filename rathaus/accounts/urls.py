from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("konto/", views.account_view, name="account"),
    path("konto/anmelden/", views.login_view, name="login"),
    path("konto/abmelden/", views.logout_view, name="logout"),
    path("konto/registrieren/", views.register_view, name="register"),
    path("konto/bestaetigen/<str:token>/", views.verify_view, name="verify"),
    path("konto/bestaetigung-anfordern/", views.resend_view, name="resend"),
    path("konto/oidc/rueckkehr/", views.oidc_callback_view, name="oidc_callback"),
    path("konto/oidc/<slug:slug>/", views.oidc_start_view, name="oidc_start"),
    path("verwaltung/", views.staff_home_view, name="staff_home"),
    path("verwaltung/anmelden/", views.staff_login_view, name="staff_login"),
    path("verwaltung/anmelden/code/", views.staff_code_view, name="staff_code"),
    path("verwaltung/abmelden/", views.staff_logout_view, name="staff_logout"),
]
