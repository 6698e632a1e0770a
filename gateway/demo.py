"""The demo tenant: documented credentials and a dataset holding every record
shown in the reference documents' example responses.

``fixtures/demo/canonical/<resource>.json`` hold the reference entities
(providers, clinics, definitions, ...) in canonical form. ``fixtures/demo/<dialect>/<resource>.json``
hold records as that dialect's documents show them; they are read through the
dialect's own codec, so the demo data is exactly what the documents print.
Demo uuids are derived from (resource, num), so references need no lookups.

The demo DrChrono application's redirect URIs follow what ``serve`` serves
(:func:`demo_redirect_uris`): ``serve`` registers them before it starts, on a
new database and again on an existing one (:func:`prepare_demo`), so a
database made on another port or behind another public URL keeps working.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from uuid import UUID

import orjson

from canonical import RESOURCES, Record, Ref, RefTo, model_for
from dialects import dialect_for
from dialects.codec import CodecContext, merge_patch
from gateway.backends.store import Store, TenantRow, TenantStore, hash_secret
from gateway.backends.store.schema import credentials

DEMO_TENANT_ID = "demo"
DEMO_ORG_ID = UUID("5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2f")
DEMO_TIME_ZONE = "America/Los_Angeles"
_NAMESPACE = UUID("0b7c56a8-4a43-4cb5-8f7e-3f0f2b6c9d10")

# Load order: what is referenced comes first. A resource not listed loads after
# these, in registry order.
ORDER = [
    "clinic",
    "provider",
    "user",
    "definition",
    "procedure_code",
    "task_list",
    "employer",
    "fee_schedule",
    "site",
    "referral",
    "patient",
    "insurance_subscription",
    "appointment",
    "commlog",
    "task",
    "procedure",
    "user_group",
    "allergy_definition",
    "disease_definition",
    "medication_definition",
    "allergy",
    "problem",
    "medication",
    "vital_sign",
    "alert_definition",
    "patient_alert",
    "relationship",
    "field_definition",
    "field_value",
    "tag_definition",
    "tag_assignment",
    "referral_source",
    "referral_attribution",
    "task_status",
    "task_note",
    "task_template",
]


@dataclass(frozen=True)
class DemoCredential:
    dialect: str
    secret: str
    how: str
    scopes: tuple[str, ...] = ()
    kind: str = "key"
    meta: dict[str, Any] = field(default_factory=dict)


DEMO_CLIENT_ID = "demo-client"
DEFAULT_REDIRECT_URIS: tuple[str, ...] = ("http://127.0.0.1:8000/callback",)
"""Where the demo application redirects when nothing says what is served
(``serve``'s default host and port; the test fixtures' database)."""

_WILDCARDS = ("", "0.0.0.0", "::", "127.0.0.1")


def demo_redirect_uris(host: str, port: int, public_url: str | None = None) -> list[str]:
    """The demo application's redirect URIs for a gateway served on ``host:port``:
    ``{public_url}/callback`` first when set (what clients outside reach), then
    ``http://127.0.0.1:{port}/callback``, and ``http://{host}:{port}/callback``
    for a named host (a wildcard bind is reached on loopback)."""
    uris = []
    if public_url:
        uris.append(public_url.rstrip("/") + "/callback")
    uris.append(f"http://127.0.0.1:{port}/callback")
    if host not in _WILDCARDS:
        name = f"[{host}]" if ":" in host else host
        uris.append(f"http://{name}:{port}/callback")
    return list(dict.fromkeys(uris))


def demo_credentials(
    redirect_uris: Sequence[str] = DEFAULT_REDIRECT_URIS,
) -> list[DemoCredential]:
    """The demo tenant's credentials, its OAuth application redirecting to ``redirect_uris``.
    Credentials with scopes carry every scope their dialect declares."""
    drchrono_scopes = dialect_for("drchrono").scopes
    return [
        DemoCredential(
            "opendental",
            "demo-developer/demo-customer",
            "Authorization: ODFHIR demo-developer/demo-customer",
        ),
        DemoCredential(
            "orgapi",
            "demo-org-token",
            "Authorization: Bearer demo-org-token",
            kind="token",
        ),
        # DrChrono: an OAuth application (the client secret is stored only as a digest) ...
        DemoCredential(
            "drchrono",
            DEMO_CLIENT_ID,
            f"OAuth app: client_id {DEMO_CLIENT_ID}, client_secret demo-client-secret, "
            + ", ".join(f"redirect_uri {uri}" for uri in redirect_uris),
            scopes=drchrono_scopes,
            kind="oauth_client",
            meta={
                "secret_sha256": hash_secret("demo-client-secret"),
                "redirect_uris": list(redirect_uris),
            },
        ),
        # ... and a pre-issued access token of that application with every scope, no expiry.
        DemoCredential(
            "drchrono",
            "demo-drchrono-token",
            "Authorization: Bearer demo-drchrono-token (scopes: " + " ".join(drchrono_scopes) + ")",
            scopes=drchrono_scopes,
            kind="access_token",
            meta={"client_id": DEMO_CLIENT_ID},
        ),
    ]


DEMO_CREDENTIALS: list[DemoCredential] = demo_credentials()
"""The credentials as seeded for the default address (their secrets never change)."""


def demo_uuid(resource: str, num: int) -> UUID:
    return uuid.uuid5(_NAMESPACE, f"{resource}:{num}")


def _complete_refs(model: type[Record], data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for name, info in model.model_fields.items():
        value = out.get(name)
        target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if target is None or value is None:
            continue
        ref = value if isinstance(value, Ref) else Ref.model_validate(value)
        if ref.num is not None:
            out[name] = Ref(num=ref.num, uuid=demo_uuid(target.resource, ref.num))
    return out


def _files() -> dict[str, dict[str, list[Any]]]:
    """{source: {resource: [records]}}; source "canonical" or a dialect name."""
    root = resources.files("fixtures") / "demo"
    found: dict[str, dict[str, list[Any]]] = {}
    for sub in sorted(root.iterdir(), key=lambda p: (p.name != "canonical", p.name)):
        if sub.is_dir():
            found[sub.name] = {
                f.name.removesuffix(".json"): json.loads(f.read_text())
                for f in sub.iterdir()
                if f.name.endswith(".json")
            }
    return found


async def load_dataset(backend: TenantStore, tz: Any) -> int:
    files = _files()
    ctx = CodecContext(tz=tz)
    count = 0
    resources_in_order = ORDER + [r for r in RESOURCES if r not in ORDER]
    for resource in resources_in_order:
        model = model_for(resource)
        seen: set[int] = set()
        for source, by_resource in files.items():
            for item in by_resource.get(resource, []):
                if source == "canonical":
                    data = dict(item)
                else:
                    codec = dialect_for(source).codecs[resource]
                    data = codec.decode(item, ctx, include_read_only=True)
                num = data.get("num")
                if num is None or num in seen:
                    continue  # documents repeat records; the first listing wins
                seen.add(num)
                named = {
                    k: v
                    for k, v in data.items()
                    if isinstance(v, Ref) and v.num is None and v.uuid is None
                }
                if named:  # a reference shown only by name (OD BillingType): look it up
                    data.update(await backend.resolve(model, named))
                data = _complete_refs(model, data)
                data["uuid"] = demo_uuid(resource, num)
                record = merge_patch(None, model, data)
                await backend.create(record)
                count += 1
    return count


async def seed_demo(
    store: Store, redirect_uris: Sequence[str] = DEFAULT_REDIRECT_URIS, *, data: bool = True
) -> TenantRow:
    """The demo tenant and its credentials, with the demo dataset unless ``data`` is
    false (upstream mode: the upstream holds the practice's records)."""
    from zoneinfo import ZoneInfo

    tenant = await store.create_tenant(
        "Demo Dental", time_zone=DEMO_TIME_ZONE, tenant_id=DEMO_TENANT_ID, org_id=DEMO_ORG_ID
    )
    for cred in demo_credentials(redirect_uris):
        await store.add_credential(
            tenant,
            cred.dialect,
            cred.secret,
            kind=cred.kind,
            label="demo",
            scopes=cred.scopes,
            meta=cred.meta,
        )
    if data:
        await load_dataset(store.for_tenant(tenant), ZoneInfo(DEMO_TIME_ZONE))
    return tenant


async def register_demo_redirects(store: Store, redirect_uris: Sequence[str]) -> bool:
    """Point the demo application of an existing database at ``redirect_uris``
    (replacing those it had: nothing listens at the old address any more).
    ``False`` when the database has no demo application."""
    app = store.find_credential("drchrono", DEMO_CLIENT_ID)
    if app is None or app.kind != "oauth_client" or app.tenant.id != DEMO_TENANT_ID:
        return False
    if app.meta.get("redirect_uris") == list(redirect_uris):
        return True
    meta = {**app.meta, "redirect_uris": list(redirect_uris)}
    async with store.transaction() as conn:
        conn.execute(
            credentials.update()
            .where(credentials.c.secret_hash == hash_secret(DEMO_CLIENT_ID))
            .values(meta=orjson.dumps(meta).decode())
        )
    return True


async def prepare_demo(store: Store, redirect_uris: Sequence[str], *, data: bool = True) -> None:
    """What ``serve`` does before it starts with the demo on: seed an empty
    database (``data``: with the demo dataset), or register the demo application
    for this address again."""
    if store.is_empty():
        await seed_demo(store, redirect_uris, data=data)
    else:
        await register_demo_redirects(store, redirect_uris)


def describe_credentials(
    base_url: str, redirect_uris: Sequence[str] = DEFAULT_REDIRECT_URIS
) -> str:
    redirect = redirect_uris[0]
    lines = ["Demo tenant 'Demo Dental' credentials:"]
    for cred in demo_credentials(redirect_uris):
        lines.append(f"  {cred.dialect:<11} {cred.how}")
    lines.append(f"  org id      {DEMO_ORG_ID}")
    lines.append("First request:")
    lines.append(
        f'  curl -H "Authorization: ODFHIR demo-developer/demo-customer" '
        f"{base_url}/opendental/api/v1/commlogs/2"
    )
    lines.append(
        f'  curl -H "Authorization: Bearer demo-drchrono-token" {base_url}/drchrono/api/patients/1'
    )
    lines.append("DrChrono OAuth (no consent page: the registered app is the practice's consent):")
    lines.append(
        f"  open {base_url}/drchrono/o/authorize?client_id={DEMO_CLIENT_ID}"
        f"&redirect_uri={redirect}&scope=patients%20tasks"
    )
    lines.append(
        f"  curl -d grant_type=authorization_code -d code=CODE -d client_id={DEMO_CLIENT_ID} "
        f"-d client_secret=demo-client-secret -d redirect_uri={redirect} "
        f"{base_url}/drchrono/o/token/"
    )
    return "\n".join(lines)
