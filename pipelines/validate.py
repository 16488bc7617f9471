"""Last normalization step: the Draft must be a valid `schemas.Posting`, or it becomes a Reject."""

from __future__ import annotations

from jobsift.pipelines.draft import Draft
from jobsift.schemas import Posting, Reject
from pydantic import ValidationError


def validate(draft: Draft) -> Posting | Reject:
    try:
        return Posting.model_validate({**draft.posting, "provenance": draft.provenance})
    except ValidationError as exc:
        errors = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return Reject(
            source=draft.raw.source,
            url=draft.raw.url,
            reason=f"invalid posting: {errors}",
            raw=draft.raw_payload,
        )
