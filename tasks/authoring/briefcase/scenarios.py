"""The briefcase suite's three companies: what differs between them is words and scale, never the shape of the
work, so one generator writes all three and every task's answer is computed, not typed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    key: str
    company: str
    domain: str
    industry: str
    start: str  # the Monday of week 1
    units: tuple[str, ...]  # the business's five units (sites, clinics, product lines)
    unit_kind: str  # "depot", "clinic", "product line"
    volume: str  # what a unit does a week, plural noun ("cases shipped")
    volume_short: str  # a column header ("Cases")
    price: str  # what one of it brings in ("price per case")
    base_volume: tuple[int, int]
    base_price: tuple[float, float]
    cost_share: tuple[float, float]  # direct cost as a share of revenue
    vendors: tuple[str, ...]
    supplies: str  # what the vendors deliver
    incident: str  # week 2's incident, a noun phrase
    lost: str  # what the incident destroyed, plural noun
    channels: tuple[str, ...]
    topics: tuple[str, ...]  # what the noise talks about


SCENARIOS = (
    Scenario(
        key="northwind", company="Northwind Provisions", domain="northwind.example", industry="food distribution",
        start="2026-03-02", units=("Leeds", "Bristol", "Cardiff", "Norwich", "Preston"), unit_kind="depot",
        volume="cases shipped", volume_short="Cases", price="price per case", base_volume=(3800, 9200),
        base_price=(21.0, 34.0), cost_share=(0.58, 0.71),
        vendors=("Fenwick Dairy", "Harlow Produce", "Kettering Packaging", "Marston Meats"),
        supplies="deliveries", incident="the cold-store failure", lost="cases written off",
        channels=("general", "ops", "finance", "sales", "warehouse", "fleet", "random", "leadership"),
        topics=("route planning", "forklift maintenance", "driver rota", "pallet returns", "chiller checks",
                "customer complaints", "fuel card", "van lease", "stock count", "picking accuracy")),
    Scenario(
        key="halcyon", company="Halcyon Clinics", domain="halcyonclinics.example", industry="outpatient healthcare",
        start="2026-04-06", units=("Ashford", "Beckton", "Croydon", "Dartford", "Epsom"), unit_kind="clinic",
        volume="patient visits", volume_short="Visits", price="average fee per visit", base_volume=(1400, 3600),
        base_price=(68.0, 112.0), cost_share=(0.52, 0.66),
        vendors=("Medline Supply", "Orbis Diagnostics", "Pellham Linen", "Quorra Pharma"),
        supplies="supply deliveries", incident="the booking-system outage", lost="appointments lost",
        channels=("general", "clinical-ops", "finance", "front-desk", "it-support", "nursing", "random",
                  "leadership"),
        topics=("rota gaps", "sterilisation log", "patient feedback", "locum cover", "waiting times",
                "room bookings", "training modules", "car park", "phone queue", "consent forms")),
    Scenario(
        key="lattice", company="Lattice Cloud", domain="latticecloud.example", industry="business software",
        start="2026-05-04", units=("Starter", "Team", "Business", "Enterprise", "Partner"), unit_kind="plan",
        volume="seats billed", volume_short="Seats", price="price per seat", base_volume=(2100, 7800),
        base_price=(9.0, 48.0), cost_share=(0.22, 0.38),
        vendors=("Cobalt Hosting", "Dunmore Telecom", "Everly Support", "Finch Payments"),
        supplies="service reports", incident="the billing-run failure", lost="invoices voided",
        channels=("general", "eng", "finance", "sales", "support", "product", "random", "leadership"),
        topics=("release notes", "on-call handover", "churn calls", "pipeline review", "SOC 2 evidence",
                "roadmap", "pricing page", "feature flags", "incident drill", "quarterly planning")),
)
