"""Open Dental patient searches (apipatients.md): every filter of GET /patients/Simple
and GET /patients, paging past 100, and DateTStamp / serverDateTime sync.

Expected results are computed from the demo file with plain Python predicates, an
independent statement of each filter's meaning."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import Any

import httpx
import pytest

from canonical import Appointment, Clinic, InsuranceSubscription, Patient, Ref, Site, utcnow
from gateway.backends.store import Store
from tests.dialects.opendental.patient_helpers import backend, edit, nums

DEMO: list[dict[str, Any]] = json.loads(
    (resources.files("fixtures") / "demo/opendental/patient.json").read_text()
)
Pred = Callable[[dict[str, Any]], bool]


def simple_expect(pred: Pred) -> list[int]:
    return sorted(p["PatNum"] for p in DEMO if pred(p))


def select_expect(pred: Pred, *, archived: bool = False) -> list[int]:
    """Patient Select: archived and deceased hidden by default; LName, FName order."""
    hidden = set() if archived else {"Archived", "Deceased"}
    rows = [p for p in DEMO if pred(p) and p["PatStatus"] not in hidden]
    return [p["PatNum"] for p in sorted(rows, key=lambda p: (p["LName"], p["FName"], p["PatNum"]))]


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# -- GET /patients/Simple --------------------------------------------------------

SIMPLE_CASES: list[tuple[dict[str, Any], Pred]] = [
    ({}, lambda p: True),
    ({"LName": "SMI"}, lambda p: "smi" in p["LName"].lower()),
    ({"LName": "son"}, lambda p: "son" in p["LName"].lower()),
    ({"FName": "an"}, lambda p: "an" in p["FName"].lower()),
    ({"Birthdate": "1976-05-24"}, lambda p: p["Birthdate"] == "1976-05-24"),
    ({"Birthdate": "0001-01-01"}, lambda p: p["Birthdate"] == "0001-01-01"),
    ({"ClinicNum": 3}, lambda p: p["ClinicNum"] == 3),
    ({"ClinicNum": 0}, lambda p: p["ClinicNum"] == 0),
    ({"PatStatus": "Patient"}, lambda p: p["PatStatus"] == "Patient"),
    ({"PatStatus": "NonPatient"}, lambda p: p["PatStatus"] == "NonPatient"),
    ({"PatStatus": "Inactive"}, lambda p: p["PatStatus"] == "Inactive"),
    ({"PatStatus": "Archived"}, lambda p: p["PatStatus"] == "Archived"),
    ({"PatStatus": "Deceased"}, lambda p: p["PatStatus"] == "Deceased"),
    ({"PatStatus": "Prospective"}, lambda p: p["PatStatus"] == "Prospective"),
    ({"DateTStamp": "2021-06-01 00:00:00"}, lambda p: p["DateTStamp"] >= "2021-06-01 00:00:00"),
    ({"PriProv": 2}, lambda p: p["PriProv"] == 2),
    ({"Gender": "Female"}, lambda p: p["Gender"] == "Female"),
    ({"Gender": "Other"}, lambda p: p["Gender"] == "Other"),
    ({"Position": "Widowed"}, lambda p: p["Position"] == "Widowed"),
    ({"Position": "Child"}, lambda p: p["Position"] == "Child"),
    ({"Guarantor": 29}, lambda p: p["Guarantor"] == 29),
    ({"Guarantor": 15}, lambda p: p["Guarantor"] == 15),
    ({"Guarantor": 16}, lambda p: False),
    ({"SuperFamily": 29}, lambda p: p["SuperFamily"] == 29),
    ({"EmployerNum": 1}, lambda p: p["EmployerNum"] == 1),
    ({"FeeSched": 2}, lambda p: p["FeeSched"] == 2),
    (
        {"LName": "smith", "FName": "j", "Birthdate": "1976-05-24", "ClinicNum": 0},
        lambda p: (
            "smith" in p["LName"].lower()
            and "j" in p["FName"].lower()
            and p["Birthdate"] == "1976-05-24"
            and p["ClinicNum"] == 0
        ),
    ),
]


@pytest.mark.parametrize(
    ("params", "pred"), SIMPLE_CASES, ids=[json.dumps(c[0]) for c in SIMPLE_CASES]
)
async def test_simple_filter(od: httpx.AsyncClient, params: dict[str, Any], pred: Pred) -> None:
    expected = simple_expect(pred)
    assert expected or params.get("Guarantor") == 16  # every case selects someone
    assert await nums(od, "/patients/Simple", params) == expected


async def test_simple_elements_carry_server_time_first(od: httpx.AsyncClient) -> None:
    before = utcnow().replace(microsecond=0)
    r = await od.get("/patients/Simple", params={"LName": "smith"})
    for item in r.json():
        assert list(item)[:2] == ["serverDateTime", "PatNum"]
    stamps = {item["serverDateTime"] for item in r.json()}
    assert len(stamps) == 1
    assert datetime.strptime(stamps.pop(), "%Y-%m-%d %H:%M:%S") >= before.astimezone(
        _office()
    ).replace(tzinfo=None)


def _office() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("params", "status", "name"),
    [
        ({"PatStatus": "Deleted"}, 400, "PatStatus"),
        ({"Gender": "female"}, 400, "Gender"),
        ({"Position": "Engaged"}, 400, "Position"),
        ({"Birthdate": "2021-02-30"}, 400, "Birthdate"),
        ({"DateTStamp": "2021-07-01"}, 400, "DateTStamp"),
        ({"ClinicNum": "x"}, 400, "ClinicNum"),
        ({"Offset": "-1"}, 400, "Offset"),
        ({"Phone": "5035550129"}, 400, "Phone"),
        ({"ClinicNum": 99}, 404, "Clinic"),
        ({"PriProv": 99}, 404, "Provider"),
        ({"Guarantor": 9999}, 404, "Guarantor"),
        ({"SuperFamily": 9999}, 404, "SuperFamily"),
        ({"EmployerNum": 99}, 404, "Employer"),
        ({"FeeSched": 99}, 404, "FeeSched"),
    ],
)
async def test_simple_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int, name: str
) -> None:
    r = await od.get("/patients/Simple", params=params)
    assert r.status_code == status, r.text
    assert isinstance(r.json(), str) and name in r.json()


async def test_date_t_stamp_sync(od: httpx.AsyncClient) -> None:
    """A client syncing with serverDateTime sees every later change, and nothing older."""
    first = (await od.get("/patients/Simple")).json()
    watermark = first[0]["serverDateTime"]
    assert await nums(od, "/patients/Simple", {"DateTStamp": watermark}) == []
    await od.put("/patients/12", json={"City": "Bend"})
    created = (await od.post("/patients", json={"LName": "Sync", "FName": "New"})).json()
    changed = (await od.get("/patients/Simple", params={"DateTStamp": watermark})).json()
    assert [p["PatNum"] for p in changed] == [12, created["PatNum"]]
    for p in changed:
        assert p["DateTStamp"] >= watermark
    assert changed[0]["City"] == "Bend"


async def test_simple_excludes_deleted_patients(od: httpx.AsyncClient, store: Store) -> None:
    await edit(store, Patient, 46, deleted_at=utcnow())
    assert 46 not in await nums(od, "/patients/Simple")
    assert await nums(od, "/patients", {"LName": "adams"}) == []


# -- GET /patients -----------------------------------------------------------------

LIST_CASES: list[tuple[dict[str, Any], Pred, bool]] = [
    ({}, lambda p: True, False),
    ({"LName": "SMI"}, lambda p: "smi" in p["LName"].lower(), False),
    ({"LName": "ith"}, lambda p: "ith" in p["LName"].lower(), False),
    ({"FName": "j"}, lambda p: p["FName"].lower().startswith("j"), False),
    ({"FName": "an"}, lambda p: p["FName"].lower().startswith("an"), False),
    (
        {"Phone": "5362658587"},
        lambda p: any(
            "5362658587" in digits(p[k]) for k in ("HmPhone", "WkPhone", "WirelessPhone")
        ),
        False,
    ),
    (
        {"Phone": "(503) 555-0129"},
        lambda p: any(
            "5035550129" in digits(p[k]) for k in ("HmPhone", "WkPhone", "WirelessPhone")
        ),
        False,
    ),
    (
        {"Phone": "0129"},
        lambda p: any("0129" in digits(p[k]) for k in ("HmPhone", "WkPhone", "WirelessPhone")),
        False,
    ),
    ({"Address": "satin heights"}, lambda p: "satin heights" in p["Address"].lower(), False),
    (
        {"Address": "Center, 2600"},
        lambda p: "center" in p["Address"].lower() and "2600" in p["Address"],
        False,
    ),
    ({"hideInactive": "true"}, lambda p: p["PatStatus"] != "Inactive", False),
    ({"hideInactive": "false"}, lambda p: True, False),
    ({"City": "keiz"}, lambda p: p["City"].lower().startswith("keiz"), False),
    ({"City": "jose"}, lambda p: p["City"].lower().startswith("jose"), False),
    ({"State": "ca"}, lambda p: p["State"].lower().startswith("ca"), False),
    ({"SSN": "5"}, lambda p: p["SSN"].startswith("5"), False),
    ({"SSN": "6"}, lambda p: p["SSN"].startswith("6"), False),
    ({"ChartNumber": "lee"}, lambda p: p["ChartNumber"].lower().startswith("lee"), False),
    ({"guarOnly": "true"}, lambda p: p["Guarantor"] == p["PatNum"], False),
    ({"showArchived": "true"}, lambda p: True, True),
    ({"showArchived": "true", "LName": "lewis"}, lambda p: p["LName"] == "Lewis", True),
    ({"LName": "lewis"}, lambda p: p["LName"] == "Lewis", False),
    ({"Birthdate": "1976-05-24"}, lambda p: p["Birthdate"] == "1976-05-24", False),
    ({"Email": "HOTMAIL"}, lambda p: "hotmail" in p["Email"].lower(), False),
    ({"Email": "example.ca"}, lambda p: "example.ca" in p["Email"], False),
    ({"Email": "example.ca", "showArchived": "true"}, lambda p: "example.ca" in p["Email"], True),
    ({"clinicAbbr": "north"}, lambda p: p["ClinicNum"] == 2, False),
    ({"clinicAbbr": "Nowhere"}, lambda p: False, False),
    ({"SiteNum": 0}, lambda p: True, False),
    (
        {"LName": "smi", "FName": "j", "Birthdate": "1976-05-24", "hideInactive": "true"},
        lambda p: (
            "smi" in p["LName"].lower()
            and p["FName"].lower().startswith("j")
            and p["Birthdate"] == "1976-05-24"
            and p["PatStatus"] != "Inactive"
        ),
        False,
    ),
]


@pytest.mark.parametrize(
    ("params", "pred", "archived"), LIST_CASES, ids=[json.dumps(c[0]) for c in LIST_CASES]
)
async def test_select_filter(
    od: httpx.AsyncClient, params: dict[str, Any], pred: Pred, archived: bool
) -> None:
    page = {"Limit": 100}
    assert await nums(od, "/patients", {**params, **page}) == select_expect(pred, archived=archived)


async def test_select_shows_the_patient_select_columns(od: httpx.AsyncClient) -> None:
    r = await od.get("/patients", params={"LName": "Taylor"})
    assert r.json() == [
        {
            "PatNum": 73,
            "LName": "Taylor",
            "FName": "Rebecca",
            "MiddleI": "A",
            "Preferred": "Becky",
            "PatStatus": "Patient",
            "Birthdate": "1980-02-29",
            "SSN": "544091832",
            "Address": "455 Mission St SE",
            "Address2": "",
            "City": "Salem",
            "State": "OR",
            "Zip": "97302",
            "HmPhone": "(503)555-0173",
            "WkPhone": "",
            "WirelessPhone": "(503)555-0273",
            "Email": "becky.taylor@example.com",
            "priProvAbbr": "DOC1",
            "secProvAbbr": "",
            "BillingType": "Standard Account",
            "ChartNumber": "",
            "ClinicNum": 1,
            "clinicAbbr": "Southside",
            "siteDesc": "",
            "TxtMsgOk": "Yes",
        }
    ]


async def test_select_site(od: httpx.AsyncClient, store: Store) -> None:
    site = await backend(store).create(Site(description="Hospital Wing"))
    await edit(store, Patient, 12, site=Ref(num=site.num, uuid=site.uuid))
    assert await nums(od, "/patients", {"SiteNum": site.num}) == [12]
    assert (await od.get("/patients", params={"SiteNum": site.num})).json()[0][
        "siteDesc"
    ] == "Hospital Wing"
    assert (await od.get("/patients/12")).json()["siteDesc"] == "Hospital Wing"


async def test_select_country(od: httpx.AsyncClient, store: Store) -> None:
    await edit(store, Patient, 26, country="Canada")
    assert await nums(od, "/patients", {"Country": "CANA"}) == [26]


async def test_select_subscriber_id(od: httpx.AsyncClient, store: Store) -> None:
    b = backend(store)
    await b.create(
        InsuranceSubscription(subscriber=Ref(num=23), subscriber_id="ZQX-23-001", carrier_name="X")
    )
    assert await nums(od, "/patients", {"SubscriberId": "zqx"}) == [23]
    assert await nums(od, "/patients", {"SubscriberId": "ZQX-23-001"}) == [23]
    assert await nums(od, "/patients", {"SubscriberId": "23-001"}) == []  # the start matches
    assert await nums(od, "/patients", {"SubscriberId": "nobody"}) == []


async def test_select_clinic_nums(od: httpx.AsyncClient, store: Store) -> None:
    b = backend(store)
    # Daniel Lee (clinic 3) has an appointment at clinic 1: Patient Select lists him there.
    await b.create(Appointment(patient=Ref(num=52), clinic=Ref(num=1)))
    appointments = (await b.find(Appointment, _query_all())).items
    seen = {
        a.patient.num for a in appointments if a.clinic and a.clinic.num in (1, 2) and a.patient
    }
    expected = select_expect(lambda p: p["ClinicNum"] in (0, 1, 2) or p["PatNum"] in seen)
    assert 52 in expected
    assert await nums(od, "/patients", {"clinicNums": "1,2", "Limit": 100}) == expected
    assert await nums(od, "/patients", {"clinicNums": "1, 2", "Limit": 100}) == expected


def _query_all() -> Any:
    from canonical import Query

    return Query()


async def test_select_clinic_abbr_of_a_new_clinic(od: httpx.AsyncClient, store: Store) -> None:
    clinic = await backend(store).create(Clinic(abbreviation="Eastside"))
    await edit(store, Patient, 2, location=Ref(num=clinic.num, uuid=clinic.uuid))
    assert await nums(od, "/patients", {"clinicAbbr": "east"}) == [2]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"invoiceNumber": "12"}, "invoiceNumber"),
        ({"hideInactive": "yes"}, "hideInactive"),
        ({"guarOnly": "1"}, "guarOnly"),
        ({"showArchived": "maybe"}, "showArchived"),
        ({"clinicNums": "1,a"}, "clinicNums"),
        ({"Birthdate": "2021-02-30"}, "Birthdate"),
        ({"SiteNum": "x"}, "SiteNum"),
        ({"PatNum": "15"}, "PatNum"),
        ({"DateTStamp": "2021-01-01 00:00:00"}, "DateTStamp"),
        ({"Limit": "many"}, "Limit"),
    ],
)
async def test_select_bad_params(od: httpx.AsyncClient, params: dict[str, Any], name: str) -> None:
    r = await od.get("/patients", params=params)
    assert r.status_code == 400, r.text
    assert isinstance(r.json(), str) and name in r.json()


# -- paging ------------------------------------------------------------------------


async def test_paging_past_one_hundred(od: httpx.AsyncClient) -> None:
    for i in range(120):
        r = await od.post("/patients", json={"LName": "Pager", "FName": f"P{i:03d}"})
        assert r.status_code == 201
    total = len(DEMO) + 120
    simple = await nums(od, "/patients/Simple")
    rest = await nums(od, "/patients/Simple", {"Offset": 100})
    assert len(simple) == 100 and len(rest) == total - 100
    assert simple + rest == sorted(set(simple + rest))
    assert len(await nums(od, "/patients/Simple", {"Limit": 500})) == 100
    assert (
        await nums(od, "/patients/Simple", {"Offset": 95, "Limit": 10}) == (simple + rest)[95:105]
    )

    first = (await od.get("/patients", params={"LName": "Pager"})).json()
    second = (await od.get("/patients", params={"LName": "Pager", "Offset": 100})).json()
    assert len(first) == 100 and len(second) == 20
    names = [p["FName"] for p in first + second]
    assert names == [f"P{i:03d}" for i in range(120)]
