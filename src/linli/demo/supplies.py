"""A few items and stock in the demo community: a warehouse and its checkpoints."""

from __future__ import annotations

from linli.places.models import Place
from linli.rostering.models import Checkpoint
from linli.supplies.models import Item, StockLocation
from linli.supplies.services import do_issue_stock, do_receive_stock, do_request_supplies

ITEMS = [
    ("mask", "医用口罩", "个", 3),
    ("sanitiser", "消毒液", "瓶", 3),
    ("gloves", "手套", "双", 2),
]
# item → (warehouse stock, per-post stock, used at each post this week)
STOCK = {"mask": (2000, 150, 280), "sanitiser": (120, 12, 10), "gloves": (400, 40, 70)}


def do_set_up_demo_supplies(community_code: str, *, actor=None) -> int:
    """Stock locations and ledger entries; returns the number of entries, 0 when already there."""
    community = Place.objects.get(code=community_code)
    if StockLocation.objects.filter(place=community).exists():
        return 0
    items = {
        code: Item.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "low_days": low}
        )[0]
        for code, name, unit, low in ITEMS
    }
    warehouse = StockLocation.objects.create(place=community, name="社区仓库", kind="warehouse")
    posts = [
        StockLocation.objects.create(
            place=community,
            name=post.name,
            kind="checkpoint",
            checkpoint=post,
            weight=2 if i == 0 else 1,
            minimum=50 if i == 0 else 0,
        )
        for i, post in enumerate(
            Checkpoint.objects.filter(place__code__startswith=community.code)[:3]
        )
    ]
    entries = 0
    for code, (central, each, used) in STOCK.items():
        item = items[code]
        do_receive_stock(
            actor=actor, item=item, location=warehouse, quantity=central, note="区级调拨"
        )
        entries += 1
        for post in posts:
            do_receive_stock(actor=actor, item=item, location=post, quantity=each + used)
            do_issue_stock(actor=actor, item=item, location=post, quantity=used, note="本周发放")
            entries += 2
    if posts and actor is not None:
        do_request_supplies(
            actor=actor, location=posts[-1], item=items["mask"], quantity=300, reason="夜班人手增加"
        )
    return entries
