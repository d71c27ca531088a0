"""Roles and the page access table: who may see which page. Each role sees what the one before it sees
and more:
- ``publik``: no login; only the public page of suppressed aggregates;
- ``pokjanal``: TP Posyandu (d/h Pokjanal) and other internal readers: every indicator page and case list;
- ``admin``: also imports through the browser, user management and the audit trail."""

from __future__ import annotations

PUBLIK, POKJANAL, ADMIN = "publik", "pokjanal", "admin"
ROLES = (PUBLIK, POKJANAL, ADMIN)
LOGIN_ROLES = (POKJANAL, ADMIN)

# Page access, one table: a page's url_path -> the least role that sees it. A page missing here is
# refused to everyone, so a new page stays closed until it is given a role.
PAGE_ROLES = {
    "publik": PUBLIK,        # the public transparency page: suppressed aggregates only
    "masuk": PUBLIK,         # the login form
    "ringkasan": POKJANAL,
    "stunting": POKJANAL,
    "strata": POKJANAL,
    "rujukan": POKJANAL,     # overdue referral lists (case ids)
    "pkk": POKJANAL,
    "kualitas": POKJANAL,
    "data": POKJANAL,        # what the database holds, import batches, rejected rows
    "rapat": POKJANAL,       # the TP Posyandu meeting briefing (overdue referral ids)
    "impor": ADMIN,          # imports through the browser
    "pengguna": ADMIN,       # user management and the audit trail
    "keputusan": POKJANAL,   # meeting decisions: pokjanal records and updates, admin also corrects and deletes
    "instansi": POKJANAL,    # one agency's decisions and overdue referrals (a link shared inside government)
    "spm": POKJANAL,         # Posyandu 6 SPM: registration, six fields, programme villages, P2WKSS assessment
}


def allowed(role: str, page: str) -> bool:
    """Whether a role may see a page (unknown roles and pages: no)."""
    if role not in ROLES or page not in PAGE_ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PAGE_ROLES[page])


def pages_for(role: str) -> list[str]:
    """The pages a role sees, in the table's order (what the navigation should list)."""
    return [page for page in PAGE_ROLES if allowed(role, page)]
