app_name = "postloan"
urlpatterns: list = []
