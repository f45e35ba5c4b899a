"""Build the Northwind sample plan: ``sample_plans/northwind-2026-Q3.xlsx``.

Run ``python sample_plans/build_samples.py``. The data below is the sample; edit
it here, never in the workbook. The script prints each team's capacity numbers
(the same model roadmap-audit uses) so the designer can see whether the stories
still hold after an edit.

Northwind is a fictional online marketplace with about 70 engineers. The plan
is built so that an audit finds four troubled teams and leaves four healthy
ones alone:

* payments (commerce): wallet launch + ledger migration + two compliance
  requests on a six-person team; the ledger migration has no rollback plan and
  no rehearsal, the launch has no safety net, the team is overbooked.
* search (discovery): plans as if operations took 15 % of its time, while a
  brittle indexing pipeline really takes far more; reliability work is vague.
* api (platform): a 99.95 % target, two new hires, no error-budget policy, and
  one senior engineer who is the only expert of three services.
* data-platform (platform): the job-queue isolation action raised in two
  postmortems and deferred twice is again missing, crowded out by a revenue
  analytics launch.
* checkout, seller-tools (commerce), recommendations (discovery), identity
  (platform): the contrast — staffed rotations, rehearsed migrations, flagged
  launches, measured SLOs with policies, several experts per service.

A few rows carry the small mistakes real workbooks have (an unknown dependency
key, estimates typed as text, a date typed as text) so the data-quality section
has something to show; ``IMPERFECTIONS`` lists them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from roadmap_audit.report.xlsx import pinned

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "northwind-2026-Q3.xlsx"

# Every timestamp written into the file, so two runs give identical bytes.
FIXED_TIMESTAMP = dt.datetime(2026, 6, 1, 0, 0, 0)

D = dt.date  # short alias: the tables below hold many dates

# --------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------

SETTINGS = [
    ("quarter", "2026-Q3"),
    ("start", D(2026, 7, 6)),
    ("end", D(2026, 10, 2)),
    ("weeks", 13),
]

# --------------------------------------------------------------------------
# Org tree above the teams
# --------------------------------------------------------------------------

ORG = [
    {"unit": "engineering", "parent": None},
    {"unit": "commerce", "parent": "engineering"},
    {"unit": "discovery", "parent": "engineering"},
    {"unit": "platform", "parent": "engineering"},
]

# --------------------------------------------------------------------------
# Teams: the staffing model, and what operations really cost last quarter
# --------------------------------------------------------------------------

TEAMS = [
    # Overbooked: six people, a new hire, a rotation of six.
    {
        "team": "payments",
        "parent": "commerce",
        "headcount": 6,
        "new_hires": 1,
        "oncall_rotation": 6,
        "oncall_sites": 1,
        "ops_allocation": 0.20,
        "pages_per_week": 5,
        "toil_hours_per_week": 8,
        "incidents_last_quarter": 2,
        "points_per_week": 5,
        "availability": 0.85,
    },
    # Healthy contrast.
    {
        "team": "checkout",
        "parent": "commerce",
        "headcount": 10,
        "new_hires": 1,
        "oncall_rotation": 8,
        "oncall_sites": 1,
        "ops_allocation": 0.25,
        "pages_per_week": 2,
        "toil_hours_per_week": 5,
        "incidents_last_quarter": 1,
        "points_per_week": 6,
        "availability": 0.85,
    },
    # Healthy contrast.
    {
        "team": "seller-tools",
        "parent": "commerce",
        "headcount": 10,
        "new_hires": 1,
        "oncall_rotation": 8,
        "oncall_sites": 1,
        "ops_allocation": 0.25,
        "pages_per_week": 1,
        "toil_hours_per_week": 5,
        "incidents_last_quarter": 0,
        "points_per_week": 5,
        "availability": 0.85,
    },
    # Seven engineers including one embedded SRE (Dana R.); the staffing model
    # admits 15 % operations, the indexing pipeline takes far more.
    {
        "team": "search",
        "parent": "discovery",
        "headcount": 7,
        "new_hires": 0,
        "oncall_rotation": 4,
        "oncall_sites": 1,
        "ops_allocation": 0.15,
        "pages_per_week": 14,
        "toil_hours_per_week": 45,
        "incidents_last_quarter": 6,
        "points_per_week": 4,
        "availability": 0.85,
    },
    # Healthy contrast; availability left blank on purpose (default 0.85).
    {
        "team": "recommendations",
        "parent": "discovery",
        "headcount": 9,
        "new_hires": 0,
        "oncall_rotation": 8,
        "oncall_sites": 1,
        "ops_allocation": 0.25,
        "pages_per_week": 1.5,
        "toil_hours_per_week": 4,
        "incidents_last_quarter": 1,
        "points_per_week": 5,
        "availability": None,
    },
    # Five engineers, two of them new; one senior engineer holds everything.
    {
        "team": "api",
        "parent": "platform",
        "headcount": 5,
        "new_hires": 2,
        "oncall_rotation": 5,
        "oncall_sites": 1,
        "ops_allocation": 0.20,
        "pages_per_week": 4,
        "toil_hours_per_week": 6,
        "incidents_last_quarter": 4,
        "points_per_week": 5,
        "availability": 0.85,
    },
    # Runs incidents well; the fix from its postmortems never makes the plan.
    {
        "team": "data-platform",
        "parent": "platform",
        "headcount": 6,
        "new_hires": 0,
        "oncall_rotation": 6,
        "oncall_sites": 1,
        "ops_allocation": 0.20,
        "pages_per_week": 4,
        "toil_hours_per_week": 10,
        "incidents_last_quarter": 3,
        "points_per_week": 5,
        "availability": 0.85,
    },
    # Healthy contrast.
    {
        "team": "identity",
        "parent": "platform",
        "headcount": 11,
        "new_hires": 1,
        "oncall_rotation": 9,
        "oncall_sites": 1,
        "ops_allocation": 0.30,
        "pages_per_week": 2,
        "toil_hours_per_week": 6,
        "incidents_last_quarter": 1,
        "points_per_week": 5,
        "availability": 0.85,
    },
]

# --------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------

WIKI = "https://wiki.northwind.example"

SERVICES = [
    {
        "service": "payments-gateway",
        "owner_team": "payments",
        "tier": 1,
        "slo": 99.99,
        "slo_measured": "yes",
        "error_budget_remaining": 0.18,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Maya S., Ravi P.",
        "runbook": f"{WIKI}/runbooks/payments-gateway",
        "depends_on": "ledger",
        "dependency_protection": "yes",
    },
    {
        "service": "ledger",
        "owner_team": "payments",
        "tier": 1,
        "slo": 99.995,
        "slo_measured": "yes",
        "error_budget_remaining": 0.55,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Maya S., Ravi P.",
        "runbook": f"{WIKI}/runbooks/ledger",
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "checkout-service",
        "owner_team": "checkout",
        "tier": 1,
        "slo": 99.9,
        "slo_measured": "yes",
        "error_budget_remaining": 0.64,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Priya N., Leo G., Emma V.",
        "runbook": f"{WIKI}/runbooks/checkout-service",
        "depends_on": "payments-gateway, cart, auth-service",
        "dependency_protection": "yes",
    },
    {
        "service": "cart",
        "owner_team": "checkout",
        "tier": 1,
        "slo": 99.99,
        "slo_measured": "yes",
        "error_budget_remaining": 0.71,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Carlos D., Mei H., Leo G.",
        "runbook": f"{WIKI}/runbooks/cart",
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "seller-portal",
        "owner_team": "seller-tools",
        "tier": 3,
        "slo": 99.5,
        "slo_measured": "yes",
        "error_budget_remaining": 0.80,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Gabriel M., Hannah L., Karim S.",
        "runbook": f"{WIKI}/runbooks/seller-portal",
        "depends_on": "auth-service",
        "dependency_protection": "yes",
    },
    {
        "service": "search-api",
        "owner_team": "search",
        "tier": 1,
        "slo": 99.9,
        "slo_measured": "yes",
        "error_budget_remaining": -0.25,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Wei L., Dana R.",
        "runbook": f"{WIKI}/runbooks/search-api",
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "indexing-pipeline",
        "owner_team": "search",
        "tier": 2,
        "slo": 99.0,
        "slo_measured": "no",
        "error_budget_remaining": None,
        "error_budget_policy": None,
        "experts": "Dana R.",
        "runbook": "restart the indexer and watch the lag graph",
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "recommendation-api",
        "owner_team": "recommendations",
        "tier": 2,
        "slo": 99.9,
        "slo_measured": "yes",
        "error_budget_remaining": 0.68,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Anya K., Hugo M., Raj T.",
        "runbook": f"{WIKI}/runbooks/recommendation-api",
        "depends_on": "feature-store",
        "dependency_protection": "yes",
    },
    {
        "service": "feature-store",
        "owner_team": "recommendations",
        "tier": 2,
        "slo": 99.99,
        "slo_measured": "yes",
        "error_budget_remaining": 0.74,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Sofia L., Nils H., Raj T.",
        "runbook": f"{WIKI}/runbooks/feature-store",
        "depends_on": None,
        "dependency_protection": None,
    },
    # The 99.95 % promise with nothing behind it: one expert, no policy, budget
    # spent, weaker dependencies, no timeouts or breakers on them.
    {
        "service": "public-api",
        "owner_team": "api",
        "tier": 1,
        "slo": 99.95,
        "slo_measured": "yes",
        "error_budget_remaining": -0.35,
        "error_budget_policy": None,
        "experts": "Tomasz K.",
        "runbook": f"{WIKI}/runbooks/public-api",
        "depends_on": "rate-limiter, billing-integration, auth-service",
        "dependency_protection": "no",
    },
    {
        "service": "rate-limiter",
        "owner_team": "api",
        "tier": 1,
        "slo": 99.9,
        "slo_measured": "yes",
        "error_budget_remaining": 0.10,
        "error_budget_policy": None,
        "experts": "Tomasz K.",
        "runbook": None,
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "billing-integration",
        "owner_team": "api",
        "tier": 2,
        "slo": 99.9,
        "slo_measured": "no",
        "error_budget_remaining": None,
        "error_budget_policy": None,
        "experts": "Tomasz K.",
        "runbook": None,
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "warehouse",
        "owner_team": "data-platform",
        "tier": 2,
        "slo": 99.5,
        "slo_measured": "yes",
        "error_budget_remaining": -0.15,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Olu A., Hana M.",
        "runbook": f"{WIKI}/runbooks/warehouse",
        "depends_on": "job-queue",
        "dependency_protection": "no",
    },
    {
        "service": "job-queue",
        "owner_team": "data-platform",
        "tier": 2,
        "slo": 99.5,
        "slo_measured": "yes",
        "error_budget_remaining": -0.40,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Olu A., Diego R.",
        "runbook": f"{WIKI}/runbooks/job-queue",
        "depends_on": None,
        "dependency_protection": None,
    },
    {
        "service": "auth-service",
        "owner_team": "identity",
        "tier": 1,
        "slo": 99.99,
        "slo_measured": "yes",
        "error_budget_remaining": 0.62,
        "error_budget_policy": f"{WIKI}/slo/policy",
        "experts": "Amir H., Beatriz C., Finn O.",
        "runbook": f"{WIKI}/runbooks/auth-service",
        "depends_on": None,
        "dependency_protection": None,
    },
]

# --------------------------------------------------------------------------
# Items: the plan itself
# --------------------------------------------------------------------------
# One dict per item. Absent keys are written as empty cells. Estimates are in
# engineer-weeks. `committed` means a date was promised outside the team.

Q = "2026-Q3"

ITEMS = [
    # ---- payments: the 2:17 a.m. story -------------------------------------
    {
        "key": "PAY-101",
        "title": "Wallet support (Apple Pay, Google Pay) at checkout",
        "team": "payments",
        "kind": "launch",
        "estimate": 10,
        "start": D(2026, 7, 6),
        "due": D(2026, 9, 25),
        "services": "payments-gateway",
        "labels": "wallet, marketing-date",
        "owner": "Ravi P.",
        "priority": "P1",
        "status": "In Progress",
        "committed": "yes",
        "description": "Tokenised wallet payments for all buyers. Go-live date agreed "
        "with marketing for the autumn campaign; switch on for everyone "
        "on launch day.",
        "first_planned": Q,
    },
    {
        "key": "PAY-102",
        "title": "Migrate ledger_entries to the ledger v2 schema",
        "team": "payments",
        "kind": "migration",
        "estimate": 8,
        "start": D(2026, 7, 20),
        "due": D(2026, 9, 18),
        "services": "ledger, payments-gateway",
        "rollback_plan": "TBD",
        "labels": "ledger, schema",
        "owner": "Maya S.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Split ledger_entries into entries and postings tables and "
        "change the amount columns to minor units. Copy the data in "
        "one pass during a Sunday maintenance window, then point the "
        "service at the new tables.",
        "first_planned": Q,
    },
    {
        "key": "PAY-103",
        "title": "Backfill stored payment methods into the token vault",
        "team": "payments",
        "kind": "migration",
        "estimate": 5,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 21),
        "services": "payments-gateway",
        "rollback_plan": "Old card columns stay in place until Q4; reads switch back "
        "with the vault_reads config key, no deploy needed.",
        "rehearsal": "Dual writes for two weeks, then shadow reads compared on all "
        "production traffic; backfill is throttled and pausable with "
        "row-count checkpoints; rollback rehearsed on a production snapshot.",
        "labels": "vault, backfill",
        "owner": "Lena K.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Move saved cards to the token vault so the wallet work can "
        "reuse one payment-method model.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "PAY-104",
        "title": "PCI DSS evidence pack for the annual assessment",
        "team": "payments",
        "kind": "compliance",
        "estimate": 3,
        "start": D(2026, 8, 3),
        "due": D(2026, 9, 4),
        "services": "payments-gateway",
        "labels": "pci, audit",
        "owner": "Jonas B.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Collect access reviews, key-rotation logs and network "
        "diagrams requested by the assessor. Arrived after planning.",
        "first_planned": Q,
    },
    {
        "key": "PAY-105",
        "title": "Answer the payment regulator's data request",
        "team": "payments",
        "kind": "compliance",
        "estimate": "2 weeks",
        "start": D(2026, 7, 13),
        "due": D(2026, 7, 31),
        "services": "ledger",
        "labels": "regulator",
        "owner": "Aisha D.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Transaction extracts for the last 24 months in the "
        "regulator's format. Unplanned; deadline set by the regulator.",
        "first_planned": Q,
    },
    {
        "key": "PAY-106",
        "title": "Refunds back to wallet payments",
        "team": "payments",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 8, 24),
        "due": D(2026, 9, 30),
        "depends_on": "PAY-101",
        "services": "payments-gateway",
        "labels": "wallet",
        "owner": "Ben O.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Partial and full refunds for orders paid with a wallet.",
        "first_planned": Q,
    },
    {
        "key": "PAY-107",
        "title": "Split payments between several marketplace sellers",
        "team": "payments",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 8, 17),
        "due": D(2026, 9, 30),
        "services": "payments-gateway, ledger",
        "labels": "marketplace",
        "owner": "Lena K.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "One buyer payment split into several seller payouts.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "PAY-108",
        "title": "Payout reconciliation events from billing",
        "team": "payments",
        "kind": "feature",
        "estimate": 3,
        "start": D(2026, 8, 10),
        "due": D(2026, 9, 18),
        "depends_on": "API-9",
        "services": "ledger",
        "labels": "payouts, finance",
        "owner": "Jonas B.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Publish one event per settled payout so finance and the "
        "warehouse can reconcile payouts against the ledger.",
        "first_planned": Q,
    },
    # ---- checkout: healthy -------------------------------------------------
    {
        "key": "CHK-210",
        "title": "Wallet button on the checkout page",
        "team": "checkout",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 9, 7),
        "due": D(2026, 10, 2),
        "depends_on": "PAY-101",
        "services": "checkout-service",
        "rehearsal": "Behind the checkout.wallet_button feature flag; canary to 5 % "
        "of buyers before the full rollout.",
        "labels": "wallet",
        "owner": "Priya N.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Show Apple Pay / Google Pay buttons once the payments wallet API is live.",
        "first_planned": Q,
    },
    {
        "key": "CHK-211",
        "title": "Lazy-load payment widgets on the checkout page",
        "team": "checkout",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 14),
        "services": "checkout-service",
        "labels": "performance",
        "owner": "Emma V.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Cut checkout page weight by loading third-party payment "
        "scripts only when a buyer picks that method. Behind a "
        "feature flag.",
        "first_planned": Q,
    },
    {
        "key": "CHK-212",
        "title": "Address autocomplete in checkout",
        "team": "checkout",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 7, 20),
        "due": D(2026, 8, 28),
        "services": "checkout-service",
        "labels": "conversion",
        "owner": "Omar S.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Suggest addresses as the buyer types; A/B test behind a feature flag.",
        "first_planned": Q,
    },
    {
        "key": "CHK-213",
        "title": "Move the cart database to the new Postgres cluster",
        "team": "checkout",
        "kind": "migration",
        "estimate": 6,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 14),
        "services": "cart",
        "rollback_plan": "Writes go to both clusters during the move; reads switch "
        "back with the cart.db_primary config key in under a minute.",
        "rehearsal": "Dual writes for three weeks with shadow reads compared on "
        "100 % of traffic; full cutover and rollback rehearsed on a "
        "production snapshot at peak load.",
        "labels": "database",
        "owner": "Carlos D.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Expand/contract move of the cart tables; old cluster kept "
        "read-only for two weeks after cutover.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "CHK-214",
        "title": "Guest checkout",
        "team": "checkout",
        "kind": "launch",
        "estimate": 5,
        "start": D(2026, 8, 24),
        "due": D(2026, 9, 18),
        "services": "checkout-service, auth-service",
        "rehearsal": "Feature flag guest_checkout; staged rollout 1 % → 10 % → 50 % → "
        "100 % with automatic rollback when the checkout SLO burns too "
        "fast; load tested at 2x peak.",
        "labels": "conversion",
        "owner": "Leo G.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Let buyers pay without creating an account.",
        "first_planned": Q,
    },
    {
        "key": "CHK-215",
        "title": "Burn-rate alerts for the checkout success SLO",
        "team": "checkout",
        "kind": "reliability",
        "estimate": 3,
        "start": D(2026, 7, 6),
        "due": D(2026, 7, 24),
        "services": "checkout-service",
        "labels": "slo, alerting",
        "owner": "Mei H.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Replace static error-rate alerts with multi-window "
        "burn-rate alerts; done when the old alerts are deleted.",
        "first_planned": Q,
    },
    {
        "key": "CHK-216",
        "title": "Promo code rules engine",
        "team": "checkout",
        "kind": "feature",
        "estimate": 2,
        "start": D(2026, 8, 3),
        "due": D(2026, 9, 11),
        "services": "checkout-service",
        "labels": "promotions",
        "owner": "Zoe P.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Percentage, fixed and free-shipping rules configurable by "
        "the marketing team; behind a feature flag.",
        "first_planned": Q,
    },
    # ---- seller-tools: healthy --------------------------------------------
    {
        "key": "SELL-401",
        "title": "Bulk listing editor",
        "team": "seller-tools",
        "kind": "feature",
        "estimate": 6,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 28),
        "services": "seller-portal",
        "labels": "sellers",
        "owner": "Gabriel M.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Edit price, stock and shipping on up to 500 listings at once.",
        "first_planned": Q,
    },
    {
        "key": "SELL-402",
        "title": "Seller payouts dashboard v2",
        "team": "seller-tools",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 7, 27),
        "due": D(2026, 9, 11),
        "services": "seller-portal",
        "labels": "sellers, payouts",
        "owner": "Hannah L.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Payout history with fees broken down per order.",
        "first_planned": Q,
    },
    {
        "key": "SELL-403",
        "title": "Seller identity checks with the new KYC provider",
        "team": "seller-tools",
        "kind": "compliance",
        "estimate": 4,
        "start": D(2026, 7, 20),
        "due": "15/09/2026",
        "services": "seller-portal",
        "labels": "kyc",
        "owner": "Isaac N.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Required by the payments licence renewal.",
        "first_planned": Q,
    },
    {
        "key": "SELL-404",
        "title": "Move listing images to the new CDN bucket layout",
        "team": "seller-tools",
        "kind": "migration",
        "estimate": 5,
        "start": D(2026, 7, 13),
        "due": D(2026, 8, 14),
        "services": "seller-portal",
        "rollback_plan": "Old bucket kept intact until October; image URLs switch "
        "back with one config change.",
        "rehearsal": "Copy is throttled and pausable with per-prefix checkpoints; "
        "shadow reads from the new bucket on 10 % of traffic for a week.",
        "labels": "images, storage",
        "owner": "Jade F.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Backfill from a snapshot, then dual writes until cutover.",
        "first_planned": Q,
    },
    {
        "key": "SELL-405",
        "title": "Buyer-seller messaging",
        "team": "seller-tools",
        "kind": "launch",
        "estimate": 6,
        "start": D(2026, 8, 31),
        "due": D(2026, 9, 18),
        "services": "seller-portal",
        "rehearsal": "Feature flag per seller cohort; canary with 200 sellers for "
        "two weeks before general availability.",
        "labels": "messaging",
        "owner": "Karim S.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Let buyers ask a seller a question from the listing page.",
        "first_planned": Q,
    },
    {
        "key": "SELL-406",
        "title": "Runbooks and alerts for seller-portal error spikes",
        "team": "seller-tools",
        "kind": "reliability",
        "estimate": 2,
        "start": D(2026, 7, 6),
        "due": D(2026, 7, 31),
        "services": "seller-portal",
        "labels": "runbook",
        "owner": "Lina P.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "One runbook per paging alert; done when every alert links one.",
        "first_planned": Q,
    },
    {
        "key": "SELL-407",
        "title": "Inventory sync by CSV import",
        "team": "seller-tools",
        "kind": "feature",
        "estimate": 3,
        "start": D(2026, 8, 31),
        "due": D(2026, 9, 25),
        "services": "seller-portal",
        "labels": "sellers",
        "owner": "Mateo R.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Nightly stock updates from a seller-provided CSV file.",
        "first_planned": Q,
    },
    # ---- search: the SRE absorbent layer ----------------------------------
    {
        "key": "SRCH-41",
        "title": "Learning-to-rank model v2",
        "team": "search",
        "kind": "feature",
        "estimate": 8,
        "start": D(2026, 7, 6),
        "due": D(2026, 9, 11),
        "services": "search-api",
        "labels": "ranking",
        "owner": "Wei L.",
        "priority": "P1",
        "status": "In Progress",
        "committed": "yes",
        "description": "New gradient-boosted ranker trained on click and purchase "
        "signals. Promised to the marketplace leadership for Q3.",
        "first_planned": Q,
    },
    {
        "key": "SRCH-42",
        "title": "Typo-tolerant query autocomplete",
        "team": "search",
        "kind": "feature",
        "estimate": 6,
        "start": D(2026, 7, 20),
        "due": D(2026, 9, 4),
        "services": "search-api",
        "labels": "autocomplete",
        "owner": "Marco F.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Suggestions that survive one or two typos.",
        "first_planned": Q,
    },
    {
        "key": "SRCH-43",
        "title": "Personalised ranking signals from recommendations",
        "team": "search",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 8, 3),
        "due": D(2026, 9, 18),
        "depends_on": "RECO-69",
        "services": "search-api",
        "labels": "ranking",
        "owner": "Ines T.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Use the buyer embedding from the recommendations team as "
        "a ranking feature.",
        "first_planned": Q,
    },
    {
        "key": "SRCH-44",
        "title": "Indexing hardening",
        "team": "search",
        "kind": "reliability",
        "services": "indexing-pipeline",
        "labels": "tech-debt",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Make the indexing pipeline more robust.",
        "first_planned": "2025-Q4",
    },
    {
        "key": "SRCH-45",
        "title": "Sponsored listings in search results",
        "team": "search",
        "kind": "launch",
        "estimate": 6,
        "start": D(2026, 8, 10),
        "due": D(2026, 9, 25),
        "services": "search-api",
        "rehearsal": "Behind the search.sponsored feature flag; canary to 5 % of queries first.",
        "labels": "ads, revenue",
        "owner": "Kofi A.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Paid placements from the ads team's auction, marked as sponsored.",
        "first_planned": Q,
    },
    {
        "key": "SRCH-46",
        "title": "Search results in the public API v3 format",
        "team": "search",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 8, 17),
        "due": D(2026, 9, 18),
        "depends_on": "API-7",
        "services": "search-api",
        "labels": "api",
        "owner": "Sanna J.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Expose search through the partner-facing API with the new "
        "pagination model.",
        "first_planned": Q,
    },
    {
        "key": "SRCH-47",
        "title": "Cache eviction follow-up",
        "team": "search",
        "kind": "tech-debt",
        "services": "search-api",
        "labels": "follow-up",
        "priority": "P4",
        "status": "To Do",
        "committed": "no",
        "description": "Follow-up from the April incidents.",
        "first_planned": "2026-Q2",
    },
    # ---- recommendations: healthy -----------------------------------------
    {
        "key": "RECO-61",
        "title": '"Similar items" carousel on listing pages',
        "team": "recommendations",
        "kind": "launch",
        "estimate": 6,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 7),
        "services": "recommendation-api",
        "rehearsal": "A/B test behind the reco.similar_items feature flag; canary "
        "at 10 % of listing views, load tested at 2x peak.",
        "labels": "listing-page",
        "owner": "Anya K.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Six similar listings under the main photo.",
        "first_planned": Q,
    },
    {
        "key": "RECO-62",
        "title": "Move the feature store to the new online store",
        "team": "recommendations",
        "kind": "migration",
        "estimate": 7,
        "start": D(2026, 8, 24),
        "due": D(2026, 9, 18),
        "services": "feature-store, recommendation-api",
        "rollback_plan": "Old store keeps receiving writes until Q4; reads flip back "
        "with the feature_store.backend setting.",
        "rehearsal": "Dual writes, then shadow reads compared for two weeks on all "
        "production traffic; rollback rehearsed once under load.",
        "labels": "infrastructure",
        "owner": "Sofia L.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Parallel change: expand, migrate readers, contract.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "RECO-63",
        "title": "Daily retraining pipeline for item embeddings",
        "team": "recommendations",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 7, 20),
        "due": D(2026, 9, 11),
        "services": "feature-store",
        "labels": "ml",
        "owner": "Raj T.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Retrain nightly and publish embeddings; also feeds the "
        "buyer embedding search wants.",
        "first_planned": Q,
    },
    {
        "key": "RECO-64",
        "title": "Cold-start recommendations for new sellers",
        "team": "recommendations",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 8, 3),
        "due": D(2026, 9, 11),
        "services": "recommendation-api",
        "labels": "sellers",
        "owner": "Elif C.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Category-based fallback for listings with no history; "
        "behind a feature flag.",
        "first_planned": Q,
    },
    {
        "key": "RECO-65",
        "title": "Spike: LLM-based re-ranking",
        "team": "recommendations",
        "kind": "other",
        "estimate": "big",
        "start": D(2026, 8, 31),
        "due": D(2026, 9, 25),
        "services": "recommendation-api",
        "labels": "research",
        "owner": "Kenji W.",
        "priority": "P4",
        "status": "To Do",
        "committed": "no",
        "description": "Offline experiment only; nothing ships this quarter.",
        "first_planned": Q,
    },
    {
        "key": "RECO-66",
        "title": "Recommendation quality dashboards",
        "team": "recommendations",
        "kind": "feature",
        "estimate": 2,
        "start": D(2026, 7, 27),
        "due": D(2026, 8, 28),
        "services": "recommendation-api",
        "labels": "analytics",
        "owner": "Chloe D.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Click-through and coverage per placement.",
        "first_planned": Q,
    },
    {
        "key": "RECO-67",
        "title": "Load test recommendation-api at 2x peak",
        "team": "recommendations",
        "kind": "reliability",
        "estimate": 3,
        "start": D(2026, 7, 6),
        "due": D(2026, 7, 31),
        "services": "recommendation-api",
        "labels": "load-test",
        "owner": "Hugo M.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Done when the autumn-peak test passes with p99 under 150 ms "
        "and the results are in the capacity review.",
        "first_planned": Q,
    },
    # ---- api: a target with decimals and one hero -------------------------
    {
        "key": "API-7",
        "title": "Public API v3: cursor pagination and field filtering",
        "team": "api",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 7, 6),
        "due": D(2026, 9, 4),
        "services": "public-api",
        "labels": "v3",
        "owner": "Tomasz K.",
        "priority": "P1",
        "status": "In Progress",
        "committed": "yes",
        "description": "Promised to the three largest partners for September.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "API-8",
        "title": "Per-tenant quotas in the rate limiter",
        "team": "api",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 7, 20),
        "due": D(2026, 9, 11),
        "services": "rate-limiter, public-api",
        "labels": "enterprise",
        "owner": "Tomasz K.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Token-bucket limits per tenant for the enterprise plan.",
        "first_planned": Q,
    },
    {
        "key": "API-9",
        "title": "Move billing integration to the provider's API v2",
        "team": "api",
        "kind": "migration",
        "estimate": 4,
        "start": D(2026, 7, 13),
        "due": D(2026, 8, 28),
        "depends_on": "IDN-305",
        "services": "billing-integration",
        "rollback_plan": "The v1 client stays deployed; a config switch sends calls back to v1.",
        "rehearsal": "Shadow calls to v2 on 10 % of production traffic for two weeks, "
        "responses compared.",
        "labels": "billing",
        "owner": "Tomasz K.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Provider retires API v1 on 30 September.",
        "first_planned": Q,
    },
    {
        "key": "API-10",
        "title": "Partner webhooks",
        "team": "api",
        "kind": "launch",
        "estimate": 4,
        "start": D(2026, 8, 3),
        "due": D(2026, 9, 18),
        "services": "public-api",
        "rehearsal": "Behind a per-partner feature flag; staged rollout to three "
        "pilot partners first.",
        "labels": "partners",
        "owner": "Nora E.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Order and payout events pushed to partner endpoints with retries.",
        "first_planned": Q,
    },
    {
        "key": "API-11",
        "title": "Developer portal reference docs for v3",
        "team": "api",
        "kind": "feature",
        "estimate": 2,
        "start": D(2026, 8, 17),
        "due": D(2026, 9, 18),
        "services": "public-api",
        "labels": "docs",
        "owner": "Sam C.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Generated reference and three worked examples.",
        "first_planned": Q,
    },
    {
        "key": "API-12",
        "title": "Write down the public-api failover procedure",
        "team": "api",
        "kind": "reliability",
        "estimate": 1,
        "start": D(2026, 9, 7),
        "due": D(2026, 9, 25),
        "services": "public-api",
        "labels": "runbook",
        "owner": "Tomasz K.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Today only Tomasz knows the failover steps.",
        "first_planned": Q,
    },
    # ---- data-platform: incident theatre ----------------------------------
    {
        "key": "DATA-21",
        "title": "Revenue analytics for the finance team",
        "team": "data-platform",
        "kind": "launch",
        "estimate": 9,
        "start": D(2026, 7, 6),
        "due": D(2026, 9, 11),
        "depends_on": "DATA-22",
        "services": "warehouse, job-queue",
        "rehearsal": "Internal beta with the finance team for two weeks behind a feature flag.",
        "labels": "revenue, finance",
        "owner": "Hana M.",
        "priority": "P1",
        "status": "In Progress",
        "committed": "yes",
        "description": "Daily revenue, take rate and refunds by category, built on "
        "new hourly warehouse jobs. CFO asked for it before the "
        "board meeting.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "DATA-22",
        "title": "Seller payouts feed for finance",
        "team": "data-platform",
        "kind": "feature",
        "estimate": 5,
        "start": D(2026, 7, 27),
        "due": D(2026, 8, 28),
        "depends_on": "PAY-108",
        "services": "warehouse",
        "labels": "payouts, finance",
        "owner": "Diego R.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Load payout reconciliation events into the warehouse.",
        "first_planned": Q,
    },
    {
        "key": "DATA-23",
        "title": "Move nightly ETL from cron to Airflow",
        "team": "data-platform",
        "kind": "migration",
        "estimate": 6,
        "start": D(2026, 7, 13),
        "due": D(2026, 9, 4),
        "services": "warehouse, job-queue",
        "rollback_plan": "Cron entries stay disabled but deployable until October; "
        "each job switches back on its own.",
        "rehearsal": "Both schedulers run in parallel for two weeks; outputs "
        "compared by row counts and checksums.",
        "labels": "etl",
        "owner": "Fatima Z.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "One DAG per existing cron job; no logic changes.",
        "first_planned": Q,
    },
    {
        "key": "DATA-24",
        "title": "Warehouse cost dashboard per team",
        "team": "data-platform",
        "kind": "feature",
        "estimate": 2,
        "start": D(2026, 8, 10),
        "due": D(2026, 9, 18),
        "services": "warehouse",
        "labels": "finops",
        "owner": "Chris L.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Query cost attributed to the team that scheduled it.",
        "first_planned": Q,
    },
    {
        "key": "DATA-25",
        "title": "GDPR deletion for raw event tables",
        "team": "data-platform",
        "kind": "compliance",
        "estimate": 3,
        "start": D(2026, 7, 20),
        "due": D(2026, 8, 28),
        "services": "warehouse",
        "labels": "gdpr",
        "owner": "Yuki T.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "Delete events of erased users within 30 days.",
        "first_planned": Q,
    },
    {
        "key": "DATA-26",
        "title": "Clean up the event schema registry",
        "team": "data-platform",
        "kind": "tech-debt",
        "estimate": 1,
        "start": D(2026, 9, 7),
        "due": D(2026, 9, 25),
        "services": "warehouse",
        "labels": "schemas",
        "owner": "Olu A.",
        "priority": "P4",
        "status": "To Do",
        "committed": "no",
        "description": "Delete the 40 schemas nothing has written since 2024.",
        "first_planned": Q,
    },
    # ---- identity: healthy -------------------------------------------------
    {
        "key": "IDN-301",
        "title": "Passkey sign-in",
        "team": "identity",
        "kind": "launch",
        "estimate": 8,
        "start": D(2026, 8, 17),
        "due": D(2026, 9, 18),
        "services": "auth-service",
        "rehearsal": "Feature flag per platform; staged rollout web → Android → iOS, "
        "canary at 2 % of sign-ins for a week each.",
        "labels": "passkeys",
        "owner": "Amir H.",
        "priority": "P1",
        "status": "To Do",
        "committed": "yes",
        "description": "WebAuthn passkeys next to passwords; passwords stay.",
        "first_planned": Q,
    },
    {
        "key": "IDN-302",
        "title": "Move the session store to the new key-value cluster",
        "team": "identity",
        "kind": "migration",
        "estimate": 7,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 7),
        "services": "auth-service",
        "rollback_plan": "Sessions written to both stores; reads switch back with "
        "the session.backend setting; old cluster kept until Q4.",
        "rehearsal": "Dual writes plus shadow reads on all production traffic for "
        "two weeks; failover and rollback rehearsed in the game day.",
        "labels": "sessions",
        "owner": "Beatriz C.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Expand/contract; no forced sign-outs.",
        "first_planned": "2026-Q2",
    },
    {
        "key": "IDN-303",
        "title": "SAML single sign-on for seller organisations",
        "team": "identity",
        "kind": "feature",
        "estimate": 6,
        "start": D(2026, 7, 27),
        "due": D(2026, 9, 18),
        "services": "auth-service",
        "labels": "sso, sellers",
        "owner": "Ruth A.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Large sellers sign in with their own identity provider; "
        "behind a per-organisation feature flag.",
        "first_planned": Q,
    },
    {
        "key": "IDN-304",
        "title": "Auth-service region failover game day",
        "team": "identity",
        "kind": "reliability",
        "estimate": 4,
        "start": D(2026, 8, 3),
        "due": D(2026, 8, 28),
        "services": "auth-service",
        "labels": "game-day",
        "owner": "Finn O.",
        "priority": "P2",
        "status": "To Do",
        "committed": "no",
        "description": "Fail the primary region in production hours; done when "
        "failover finishes inside 5 minutes twice in a row.",
        "first_planned": Q,
    },
    {
        "key": "IDN-305",
        "title": "Scoped service-to-service tokens",
        "team": "identity",
        "kind": "feature",
        "estimate": 4,
        "start": D(2026, 7, 6),
        "due": D(2026, 8, 7),
        "services": "auth-service",
        "labels": "security",
        "owner": "Dmitri V.",
        "priority": "P2",
        "status": "In Progress",
        "committed": "no",
        "description": "Tokens limited to the scopes a calling service needs.",
        "first_planned": Q,
    },
    {
        "key": "IDN-306",
        "title": "Redesigned account recovery",
        "team": "identity",
        "kind": "feature",
        "estimate": 3,
        "start": D(2026, 8, 17),
        "due": D(2026, 9, 18),
        "services": "auth-service",
        "labels": "accounts",
        "owner": "Keiko S.",
        "priority": "P3",
        "status": "To Do",
        "committed": "no",
        "description": "Recovery by verified email or passkey on another device.",
        "first_planned": Q,
    },
]

# --------------------------------------------------------------------------
# Postmortem actions
# --------------------------------------------------------------------------

ACTIONS = [
    # The queue-isolation action: raised in two postmortems, deferred twice,
    # and again not in the plan (scheduled_as empty).
    {
        "key": "ACT-112",
        "title": "Isolate the warehouse job queue: separate queues for scheduled and ad-hoc jobs",
        "team": "data-platform",
        "service": "job-queue",
        "postmortem": "PM-2025-041",
        "raised": D(2025, 11, 20),
        "due": D(2026, 1, 16),
        "status": "Open",
        "times_deferred": 2,
        "scheduled_as": None,
    },
    {
        "key": "ACT-139",
        "title": "Queue isolation for warehouse jobs (ad-hoc load starves scheduled jobs)",
        "team": "data-platform",
        "service": "job-queue",
        "postmortem": "PM-2026-009",
        "raised": D(2026, 2, 24),
        "due": D(2026, 3, 31),
        "status": "Open",
        "times_deferred": 2,
        "scheduled_as": None,
    },
    {
        "key": "ACT-141",
        "title": "Add backpressure between the crawler and the indexer",
        "team": "search",
        "service": "indexing-pipeline",
        "postmortem": "PM-2026-014",
        "raised": D(2026, 4, 15),
        "due": D(2026, 5, 29),
        "status": "Open",
        "times_deferred": 1,
        "scheduled_as": "SRCH-44",
    },
    {
        "key": "ACT-146",
        "title": "Train a second engineer on rate-limiter failover",
        "team": "api",
        "service": "rate-limiter",
        "postmortem": "PM-2026-021",
        "raised": D(2026, 5, 8),
        "due": D(2026, 7, 3),
        "status": "Open",
        "times_deferred": 0,
        "scheduled_as": None,
    },
    {
        "key": "ACT-150",
        "title": "Add a rollback step to the ledger schema-change checklist",
        "team": "payments",
        "service": "ledger",
        "postmortem": "PM-2026-025",
        "raised": D(2026, 5, 21),
        "due": D(2026, 7, 17),
        "status": "Open",
        "times_deferred": 0,
        "scheduled_as": None,
    },
    {
        "key": "ACT-128",
        "title": "Alert on checkout success-rate burn instead of raw error count",
        "team": "checkout",
        "service": "checkout-service",
        "postmortem": "PM-2026-024",
        "raised": D(2026, 5, 22),
        "due": D(2026, 7, 24),
        "status": "In Progress",
        "times_deferred": 0,
        "scheduled_as": "CHK-215",
    },
    {
        "key": "ACT-131",
        "title": "Automate TLS certificate rotation for auth-service",
        "team": "identity",
        "service": "auth-service",
        "postmortem": "PM-2026-006",
        "raised": D(2026, 2, 10),
        "due": D(2026, 3, 13),
        "status": "Done",
        "times_deferred": 0,
        "scheduled_as": None,
    },
    {
        "key": "ACT-152",
        "title": "Load test recommendation-api before the autumn peak",
        "team": "recommendations",
        "service": "recommendation-api",
        "postmortem": "PM-2026-027",
        "raised": D(2026, 5, 28),
        "due": D(2026, 7, 31),
        "status": "Open",
        "times_deferred": 0,
        "scheduled_as": "RECO-67",
    },
]

# --------------------------------------------------------------------------
# Incidents of the previous quarter (2026-04 .. 2026-06)
# --------------------------------------------------------------------------
# The count per team matches Teams.incidents_last_quarter.

INCIDENTS = [
    (
        "INC-2041",
        "payments-gateway",
        "payments",
        "SEV1",
        dt.datetime(2026, 4, 22, 2, 17),
        96,
        "Maya S., Ravi P., Jonas B.",
    ),
    (
        "INC-2077",
        "ledger",
        "payments",
        "SEV2",
        dt.datetime(2026, 5, 19, 14, 5),
        55,
        "Maya S., Lena K.",
    ),
    (
        "INC-2039",
        "indexing-pipeline",
        "search",
        "SEV2",
        dt.datetime(2026, 4, 9, 23, 40),
        180,
        "Dana R., Marco F.",
    ),
    (
        "INC-2044",
        "search-api",
        "search",
        "SEV2",
        dt.datetime(2026, 4, 24, 11, 10),
        70,
        "Dana R., Wei L.",
    ),
    (
        "INC-2052",
        "indexing-pipeline",
        "search",
        "SEV3",
        dt.datetime(2026, 5, 2, 4, 30),
        240,
        "Dana R., Kofi A.",
    ),
    (
        "INC-2063",
        "search-api",
        "search",
        "SEV2",
        dt.datetime(2026, 5, 14, 19, 55),
        45,
        "Wei L., Dana R.",
    ),
    (
        "INC-2081",
        "indexing-pipeline",
        "search",
        "SEV3",
        dt.datetime(2026, 6, 3, 1, 15),
        150,
        "Dana R., Ines T.",
    ),
    (
        "INC-2094",
        "indexing-pipeline",
        "search",
        "SEV2",
        dt.datetime(2026, 6, 20, 6, 0),
        210,
        "Dana R., Sanna J., Wei L.",
    ),
    (
        "INC-2046",
        "public-api",
        "api",
        "SEV1",
        dt.datetime(2026, 4, 28, 3, 2),
        64,
        "Tomasz K., Julia W.",
    ),
    (
        "INC-2059",
        "rate-limiter",
        "api",
        "SEV2",
        dt.datetime(2026, 5, 8, 22, 41),
        38,
        "Nora E., Tomasz K.",
    ),
    (
        "INC-2071",
        "billing-integration",
        "api",
        "SEV2",
        dt.datetime(2026, 5, 26, 9, 20),
        120,
        "Arjun V., Tomasz K.",
    ),
    (
        "INC-2088",
        "public-api",
        "api",
        "SEV2",
        dt.datetime(2026, 6, 12, 0, 48),
        52,
        "Sam C., Tomasz K.",
    ),
    (
        "INC-2050",
        "warehouse",
        "data-platform",
        "SEV2",
        dt.datetime(2026, 4, 30, 7, 30),
        200,
        "Olu A., Hana M.",
    ),
    (
        "INC-2074",
        "job-queue",
        "data-platform",
        "SEV1",
        dt.datetime(2026, 5, 21, 6, 45),
        310,
        "Olu A., Diego R., Hana M.",
    ),
    (
        "INC-2090",
        "warehouse",
        "data-platform",
        "SEV2",
        dt.datetime(2026, 6, 16, 8, 10),
        140,
        "Diego R., Fatima Z.",
    ),
    (
        "INC-2066",
        "checkout-service",
        "checkout",
        "SEV3",
        dt.datetime(2026, 5, 20, 15, 30),
        25,
        "Emma V., Leo G.",
    ),
    (
        "INC-2079",
        "recommendation-api",
        "recommendations",
        "SEV3",
        dt.datetime(2026, 5, 26, 20, 40),
        35,
        "Hugo M., Anya K.",
    ),
    (
        "INC-2085",
        "auth-service",
        "identity",
        "SEV3",
        dt.datetime(2026, 6, 9, 10, 5),
        18,
        "Finn O., Amir H.",
    ),
]

# Rows planted on purpose so the data-quality section has something to show.
# Filled in by build() with the exact cell, e.g. "Items!E6".
IMPERFECTIONS = [
    ("SRCH-43", "depends_on", "depends on RECO-69, a key that does not exist"),
    ("PAY-105", "estimate", 'estimate typed as text "2 weeks" (parseable)'),
    ("RECO-65", "estimate", 'estimate "big" (unparseable)'),
    ("SELL-403", "due", 'due date typed as the string "15/09/2026"'),
]

# --------------------------------------------------------------------------
# Sheet layout
# --------------------------------------------------------------------------

ITEM_COLUMNS = [
    "key",
    "title",
    "team",
    "kind",
    "estimate",
    "start",
    "due",
    "depends_on",
    "services",
    "rollback_plan",
    "rehearsal",
    "labels",
    "owner",
    "priority",
    "status",
    "committed",
    "description",
    "first_planned",
]
TEAM_COLUMNS = [
    "team",
    "parent",
    "headcount",
    "new_hires",
    "oncall_rotation",
    "oncall_sites",
    "ops_allocation",
    "pages_per_week",
    "toil_hours_per_week",
    "incidents_last_quarter",
    "points_per_week",
    "availability",
]
SERVICE_COLUMNS = [
    "service",
    "owner_team",
    "tier",
    "slo",
    "slo_measured",
    "error_budget_remaining",
    "error_budget_policy",
    "experts",
    "runbook",
    "depends_on",
    "dependency_protection",
]
ORG_COLUMNS = ["unit", "parent"]
ACTION_COLUMNS = [
    "key",
    "title",
    "team",
    "service",
    "postmortem",
    "raised",
    "due",
    "status",
    "times_deferred",
    "scheduled_as",
]
INCIDENT_COLUMNS = [
    "id",
    "service",
    "team",
    "severity",
    "started",
    "duration_minutes",
    "responders",
]
SETTING_COLUMNS = ["key", "value"]

PERCENT_COLUMNS = {"ops_allocation", "availability", "error_budget_remaining"}
WIDE_COLUMNS = {
    "title": 48,
    "rollback_plan": 48,
    "rehearsal": 48,
    "description": 60,
    "runbook": 40,
    "experts": 30,
}

# --------------------------------------------------------------------------
# Capacity model (mirrors the tool's; used only to print the design table)
# --------------------------------------------------------------------------

WEEKS = 13
DEFAULT_AVAILABILITY = 0.85
FOCUS_FACTOR = 0.7
NEW_HIRE_RAMP = 0.5  # average productivity of a new hire over the quarter
HOURS_PER_WEEK = 40
HOURS_PER_INCIDENT = 6


def parse_estimate(value) -> float | None:
    """Engineer-weeks from a cell value; None when it cannot be read."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:w|wk|wks|weeks?)?\s*", value, re.IGNORECASE)
        if match:
            return float(match.group(1))
    return None


def team_weeks(team: dict) -> float:
    """Engineer-weeks the team is at work: staffed, less leave and new-hire ramp."""
    availability = team.get("availability") or DEFAULT_AVAILABILITY
    raw = team["headcount"] * WEEKS
    leave = raw * (1 - availability)
    ramp = team.get("new_hires", 0) * WEEKS * availability * (1 - NEW_HIRE_RAMP)
    return raw - leave - ramp


def capacity_weeks(team: dict) -> float:
    """Engineer-weeks of planned work the team can really deliver: team time less operations (the largest
    of the admitted share, the on-call shift and what was observed; each hour once), times the focus factor."""
    time = team_weeks(team)
    oncall = WEEKS if team.get("oncall_rotation", 0) > 0 else 0
    ops = max(team["ops_allocation"] * time, oncall, ops_observed_weeks(team))
    return (time - ops) * FOCUS_FACTOR


def ops_observed_weeks(team: dict) -> float:
    """Engineer-weeks that pages, toil and incidents took last quarter."""
    weekly_hours = team["pages_per_week"] * 1 + team["toil_hours_per_week"]
    return (
        WEEKS * weekly_hours / HOURS_PER_WEEK
        + team["incidents_last_quarter"] * HOURS_PER_INCIDENT / HOURS_PER_WEEK
    )


def planned_weeks(team_name: str, items: list[dict]) -> float:
    return sum(
        parse_estimate(item.get("estimate")) or 0.0
        for item in items
        if item["team"] == team_name and item.get("status") != "Done"
    )


def expected_load(team_row: dict, items: list[dict]) -> dict:
    """The numbers the audit should report for one team."""
    capacity = capacity_weeks(team_row)
    planned = planned_weeks(team_row["team"], items)
    ops_observed = ops_observed_weeks(team_row) / team_weeks(team_row)  # a share of team time
    load = planned / capacity
    return {
        "team": team_row["team"],
        "capacity_weeks": capacity,
        "planned_weeks": planned,
        "ops_admitted": team_row["ops_allocation"],
        "ops_observed": ops_observed,
        "load": load,
    }


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def _write_sheet(wb: Workbook, title: str, columns: list[str], rows: list) -> None:
    ws = wb.create_sheet(title)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [row.get(c) for c in columns] if isinstance(row, dict) else list(row)
        ws.append(values)
    ws.freeze_panes = "A2"
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        longest = max(len(_display(cell.value)) for cell in ws[letter])
        ws.column_dimensions[letter].width = min(WIDE_COLUMNS.get(name, 40), max(10, longest + 2))
        for cell in ws[letter][1:]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif name in PERCENT_COLUMNS and isinstance(cell.value, float):
                cell.number_format = "0%"
            if name in WIDE_COLUMNS:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "2026-01-01 00:00"
    if isinstance(value, dt.date):
        return "2026-01-01"
    return str(value)


def _check_data() -> None:
    """Catch editing slips that would break a story by accident."""
    keys = [item["key"] for item in ITEMS]
    assert len(keys) == len(set(keys)), "duplicate item keys"
    team_names = {team["team"] for team in TEAMS}
    units = {unit["unit"] for unit in ORG}
    for team in TEAMS:
        assert team["parent"] in units, team
    for item in ITEMS:
        assert item["team"] in team_names, item["key"]
        assert set(item) <= set(ITEM_COLUMNS), (item["key"], set(item) - set(ITEM_COLUMNS))
    services = {service["service"] for service in SERVICES}
    for incident in INCIDENTS:
        assert incident[1] in services and incident[2] in team_names, incident
    for team in TEAMS:
        count = sum(1 for incident in INCIDENTS if incident[2] == team["team"])
        assert count == team["incidents_last_quarter"], (team["team"], count)


def build(path: Path = OUTPUT) -> list[tuple[str, str]]:
    """Write the workbook; return the cell of each planted imperfection."""
    _check_data()
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Northwind engineering planning"
    wb.properties.title = "Northwind engineering plan 2026-Q3"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.properties.lastModifiedBy = "Northwind engineering planning"

    _write_sheet(wb, "Settings", SETTING_COLUMNS, SETTINGS)
    _write_sheet(wb, "Items", ITEM_COLUMNS, ITEMS)
    _write_sheet(wb, "Teams", TEAM_COLUMNS, TEAMS)
    _write_sheet(wb, "Services", SERVICE_COLUMNS, SERVICES)
    _write_sheet(wb, "Org", ORG_COLUMNS, ORG)
    _write_sheet(wb, "Actions", ACTION_COLUMNS, ACTIONS)
    _write_sheet(wb, "Incidents", INCIDENT_COLUMNS, INCIDENTS)

    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(pinned(buffer.getvalue(), FIXED_TIMESTAMP))

    row_of = {item["key"]: row for row, item in enumerate(ITEMS, start=2)}
    cells = []
    for key, column, problem in IMPERFECTIONS:
        letter = get_column_letter(ITEM_COLUMNS.index(column) + 1)
        cells.append((f"Items!{letter}{row_of[key]}", f"{key}: {problem}"))
    return cells


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            return None
    return None


def late_share(team_name: str, items: list[dict]) -> float:
    """Share of the team's estimated effort due in the last two weeks."""
    last_two_weeks = dict(SETTINGS)["end"] - dt.timedelta(days=11)
    total = late = 0.0
    for item in items:
        if item["team"] != team_name:
            continue
        weeks = parse_estimate(item.get("estimate")) or 0.0
        total += weeks
        due = _as_date(item.get("due"))
        if due and due >= last_two_weeks:
            late += weeks
    return late / total if total else 0.0


def print_table() -> None:
    header = (
        f"{'team':<16}{'capacity_wk':>12}{'planned_wk':>11}{'ops_adm':>9}"
        f"{'ops_obs':>9}{'load':>7}{'due_last_2wk':>14}"
    )
    print(header)
    print("-" * len(header))
    for team in TEAMS:
        n = expected_load(team, ITEMS)
        print(
            f"{n['team']:<16}{n['capacity_weeks']:>12.1f}{n['planned_weeks']:>11.1f}"
            f"{n['ops_admitted']:>9.0%}{n['ops_observed']:>9.0%}{n['load']:>7.2f}"
            f"{late_share(team['team'], ITEMS):>14.0%}"
        )


def print_dependencies() -> None:
    by_key = {item["key"]: item for item in ITEMS}
    print("\ndependencies (* = schedule inversion, ? = unknown key):")
    for item in ITEMS:
        for dep in filter(None, re.split(r"[,;\s]+", item.get("depends_on") or "")):
            other = by_key.get(dep)
            if other is None:
                print(f"  ? {item['key']} -> {dep}")
                continue
            due, dep_due = _as_date(item.get("due")), _as_date(other.get("due"))
            mark = "*" if due and dep_due and due < dep_due else " "
            print(
                f"  {mark} {item['key']} ({item['team']}, due {due}) -> "
                f"{dep} ({other['team']}, due {dep_due})"
            )


def main() -> None:
    cells = build()
    print(
        f"wrote {OUTPUT.relative_to(HERE.parent)}: {len(ITEMS)} items, "
        f"{len(TEAMS)} teams, {sum(t['headcount'] for t in TEAMS)} engineers, "
        f"{len(SERVICES)} services\n"
    )
    print_table()
    print_dependencies()
    print("\nplanted data-quality problems:")
    for cell, problem in cells:
        print(f"  {cell:<10} {problem}")


if __name__ == "__main__":
    main()
