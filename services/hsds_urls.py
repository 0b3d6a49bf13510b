from django.urls import path

app_name = "hsds"

# Open Referral HSDS 3.0 endpoints: see services/hsds.py.
urlpatterns: list = []
