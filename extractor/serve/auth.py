"""Who is calling: the API key, from ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``.

Keys are required when the server has any (and it must have some to bind beyond loopback,
unless started with ``--no-auth``): no key or an unknown key is 401. Without keys every caller
is :data:`~extractor.serve.keys.ANONYMOUS`. A job's owner is the hash of the key that made it;
another key asking for it gets 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from extractor.serve.keys import ANONYMOUS, owner_of
from extractor.serve.service import Service, service
from extractor.serve.store import Job

bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer YOUR_KEY")
api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="X-API-Key: YOUR_KEY")


def caller(
    request: Request,
    svc: Annotated[Service, Depends(service)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    header_key: Annotated[str | None, Depends(api_key)],
) -> str:
    """The owner id of the caller; 401 when a key is required and missing or unknown."""
    if not svc.config.keys_required:
        return ANONYMOUS
    presented = credentials.credentials if credentials is not None else header_key
    owner = owner_of(presented, svc.config.key_hashes) if presented else None
    if owner is None:
        raise HTTPException(
            401,
            "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
            if not presented
            else "unknown API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return owner


Caller = Annotated[str, Depends(caller)]


def check_owner(job: Job | None, owner: str) -> Job:
    """The job when ``owner`` may see it: 404 when it does not exist, 403 when it is another
    key's."""
    if job is None:
        raise HTTPException(404, "no such job")
    if job.owner != owner:
        raise HTTPException(403, "this job belongs to another API key")
    return job
