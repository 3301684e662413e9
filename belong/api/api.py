from ninja import NinjaAPI

api = NinjaAPI(title="Belong API", version="1", urls_namespace="api")
