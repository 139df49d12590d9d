import pytest
from django.test import Client

from api.tokens import token_create
from tests.plans.conftest import ladder, mentor, mentor_share, plan  # noqa: F401 (fixtures)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class ApiClient:
    """A client sending one token, JSON in and out."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = bearer(secret) if secret else {}

    def get(self, path: str, **extra):
        return self.client.get(path, **self.headers, **extra)

    def post(self, path: str, data: dict, **extra):
        return self.client.post(path, data, content_type="application/json", **self.headers, **extra)

    def put(self, path: str, data: dict, **extra):
        return self.client.put(path, data, content_type="application/json", **self.headers, **extra)

    def delete(self, path: str, **extra):
        return self.client.delete(path, **self.headers, **extra)

    def send(self, method: str, path: str, data: dict | None = None):
        if method in ("get", "delete"):
            return getattr(self, method)(path)
        return getattr(self, method)(path, data or {})


@pytest.fixture
def alice_api(alice) -> ApiClient:
    return ApiClient(token_create(user=alice, name="script", can_write=True)[1])


@pytest.fixture
def alice_reader(alice) -> ApiClient:
    return ApiClient(token_create(user=alice, name="reader")[1])


@pytest.fixture
def bob_api(bob) -> ApiClient:
    return ApiClient(token_create(user=bob, name="bob's", can_write=True)[1])
