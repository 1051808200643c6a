app_name = "visitors"

urlpatterns = []
