"""/api/v1/: one NinjaAPI, its routers, its error shapes, and revalidation by ETag."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from api import problems
from api.auth import TokenAuth
from api.conditional import revalidated
from api.parser import CheckedParser

ERROR_STATUSES = ("400", "401", "403", "404", "409", "422", "429")


class CareerPathAPI(NinjaAPI):
    def create_response(
        self, request: HttpRequest, data: Any, *, status: int | None = None, temporal_response=None
    ) -> HttpResponse:
        """A read answers with an ETag of its body; a client that sends it back as If-None-Match
        gets 304 with no body while nothing it shows has changed."""
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        return revalidated(request, response)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Errors are documented as what they are, application/problem+json, and every read
        documents its 304."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for method, operation in path.items():
                responses = operation.get("responses", {})
                for status, response in responses.items():
                    if str(status) in ERROR_STATUSES and "content" in response:
                        response["content"] = {problems.PROBLEM_TYPE: response["content"]["application/json"]}
                if method == "get":
                    responses["304"] = {
                        "description": "Not modified: the ETag sent in If-None-Match is current."
                    }
        return schema


api = CareerPathAPI(
    title="CareerPath API",
    version="1",
    description=(
        "Read and write your career plans, goals and check-ins. Authenticate with a personal access "
        "token from your account page, sent in the Authorization header as Bearer <token>. The public ladder needs no token."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # api.docs.docs_page: the schema as a page of the site
    openapi_url="/openapi.json",
    parser=CheckedParser(),
)

api.add_exception_handler(ValidationError, problems.validation_problem)
api.add_exception_handler(problems.InvalidFields, problems.fields_problem)
api.add_exception_handler(HttpError, problems.http_problem)
api.add_exception_handler(Http404, problems.not_found_problem)
api.add_exception_handler(PermissionDenied, problems.forbidden_problem)


def _routers() -> None:
    from api import (
        routes_goal_writes,  # noqa: F401  (adds the goal writes to goals_router)
        routes_records,  # noqa: F401  (adds activity and certification writes to plans_router)
    )
    from api.routes_comments import router as comments_router
    from api.routes_goals import router as goals_router
    from api.routes_ladder import router as ladder_router
    from api.routes_people import router as people_router
    from api.routes_plans import router as plans_router
    from api.routes_progress import router as progress_router

    api.add_router("", people_router)
    api.add_router("", plans_router)
    api.add_router("", goals_router)
    api.add_router("", progress_router)
    api.add_router("", comments_router)
    api.add_router("/ladder", ladder_router)


_routers()
