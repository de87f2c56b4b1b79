app_name = "subjects"
urlpatterns: list = []
