from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.start, name="start"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-in/code/", views.second_factor, name="second_factor"),
    path("sign-in/code/set-up/", views.second_factor_set_up, name="second_factor_set_up"),
    path("sign-in-security/", views.sign_in_security, name="sign_in_security"),
    path(
        "sign-in-security/users/<int:user_id>/reset-second-factor/",
        views.second_factor_reset_view,
        name="second_factor_reset",
    ),
    path("sign-in-security/unlock/", views.sign_in_unlock_view, name="sign_in_unlock"),
    path("users/", views.users, name="users"),
    path("users/case-file-grants/", views.case_file_grants, name="case_file_grants"),
    path("users/add/", views.user_add_view, name="user_add"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/active/", views.user_active_view, name="user_active"),
    path("users/<int:user_id>/sign-in-link/", views.sign_in_link_view, name="user_sign_in_link"),
    path("sign-in/link/<uidb64>/<token>/", views.SignInLinkView.as_view(), name="sign_in_link"),
]
