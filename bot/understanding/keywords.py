"""Keywords for when the NLU server is down.

The NLU server can be restarting, overloaded or not installed on a staff laptop. The bot must
still serve every feature, so when `NluClient.parse` raises `NluUnavailable` the message is
matched against a short list of unmistakable keywords (after the same folding the model
uses, so "tro cap" and "trợ cấp" both hit). No keyword → no guess: the caller shows the menu.
"""

from __future__ import annotations

from nlu.textnorm import canonical_text

# Keyword phrases in canonical form (see nlu.textnorm.canonical_text), most specific first:
# the first intent with a phrase contained in the message wins.
FALLBACK_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("emergency", ("cuu toi", "cuu voi", "dang danh", "tu tu", "muon chet")),
    ("cancel_registration", ("huy dang ky", "huy ten", "khong di duoc nua")),
    ("my_registrations", ("dang ky cua toi", "toi da dang ky", "xem dang ky")),
    ("register_vocational", ("dang ky hoc", "dang ky lop", "ghi ten hoc")),
    ("register_job_fair", ("dang ky hoi cho", "dang ky phien", "dang ky tuyen dung")),
    ("human_handoff", ("gap can bo", "noi chuyen voi can bo", "nguoi that", "goi lai cho toi")),
    (
        "labour_export",
        ("xuat khau lao dong", "di lam o nuoc ngoai", "di nhat", "di han", "di dai loan"),
    ),
    ("job_fairs", ("hoi cho viec lam", "phien giao dich", "tuyen dung", "viec lam")),
    ("vocational_classes", ("hoc nghe", "lop nghe", "day nghe")),
    ("funeral_support", ("mai tang", "ma chay", "chon cat")),
    ("health_insurance", ("bao hiem y te", "the bhyt", "bhyt")),
    ("complaint_appeal", ("khieu nai", "to cao", "kien nghi")),
    ("disaster_relief", ("bi lu", "bi bao", "lu cuon", "sat lo", "lu lut", "thien tai")),
    ("allowance_payment", ("nhan tien", "tai khoan", "chi tra", "linh tien")),
    ("allowance_procedure", ("thu tuc tro cap", "ho so tro cap", "xin tro cap")),
    ("allowance_amount", ("tro cap bao nhieu", "muc tro cap", "duoc bao nhieu tien")),
    ("contact_office", ("o dau", "so dien thoai cua", "dia chi", "gio lam viec")),
    ("allowance_eligibility", ("tro cap", "bao tro xa hoi")),
    ("housing_procedure", ("thu tuc lam nha", "ho so lam nha", "ho so ho tro nha")),
    ("housing_amount", ("ho tro bao nhieu", "lam nha bao nhieu", "sua nha bao nhieu")),
    ("housing_eligibility", ("nha tam", "nha dot nat", "lam nha", "sua nha", "ho tro nha")),
    ("thank", ("cam on",)),
    ("greet", ("xin chao", "chao")),
)


def keyword_intent(text: str) -> str | None:
    """The intent whose keyword phrase occurs in `text`, or None."""
    padded = f" {canonical_text(text)} "
    for intent, phrases in FALLBACK_KEYWORDS:
        if any(f" {phrase} " in padded for phrase in phrases):
            return intent
    return None
