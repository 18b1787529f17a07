import pytest

from linli.demo.supplies import do_set_up_demo_supplies
from linli.supplies.models import Balance, StockLocation
from linli.supplies.selectors import ledger_sum, stock_for

pytestmark = pytest.mark.django_db


def test_demo_community_gets_stock_once(inside, secretary):
    entries = do_set_up_demo_supplies(inside.community.code, actor=secretary)
    assert entries == 3 * (1 + 2 * 1)  # the inside neighbourhood has one checkpoint
    assert StockLocation.objects.filter(place=inside.community).count() == 2
    for balance in Balance.objects.all():
        assert balance.quantity == ledger_sum(balance.item_id, balance.location_id)
    post_masks = next(
        line
        for line in stock_for(secretary)
        if line.balance.item.code == "mask" and line.balance.location.kind == "checkpoint"
    )
    assert post_masks.balance.quantity == 150 and post_masks.forecast.days_of_supply == 150 / 40
    assert do_set_up_demo_supplies(inside.community.code) == 0
