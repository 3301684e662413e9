from django.utils import translation


class PersonLanguageMiddleware:
    """A signed-in person sees Belong in the language of their profile, unless they have just
    chosen another with the language switcher (the language cookie wins for that browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
