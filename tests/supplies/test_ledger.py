"""The ledger: stock is its sum, entries are never edited, bad input says what and where."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.supplies.models import Balance, LedgerEntry
from linli.supplies.selectors import ledger_sum, stock_for
from linli.supplies.services import (
    SupplyError,
    do_correct_stock,
    do_issue_stock,
    do_receive_stock,
    item_by_code,
)

from .helpers import locations, masks

pytestmark = pytest.mark.django_db


def on_hand(item, location) -> int:
    return Balance.objects.get(item=item, location=location).quantity


def test_receive_issue_and_correct_move_the_stock(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=100)
    do_issue_stock(actor=secretary, item=item, location=warehouse, quantity=30)
    entry = do_correct_stock(actor=secretary, item=item, location=warehouse, delta=-5, note="盘点")
    assert on_hand(item, warehouse) == 65 == ledger_sum(item.pk, warehouse.pk)
    assert entry.balance_after == 65
    assert [e.kind for e in LedgerEntry.objects.order_by("pk")] == [
        "receive",
        "issue",
        "correction",
    ]


def test_issuing_more_than_on_hand_says_how_much_is_there(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=10)
    with pytest.raises(SupplyError, match="only 10 on hand") as err:
        do_issue_stock(actor=secretary, item=item, location=warehouse, quantity=11)
    assert "社区仓库" in str(err.value) and "口罩" in str(err.value)
    assert on_hand(item, warehouse) == 10 and LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("quantity", [-3, 0, "abc", None])
def test_bad_quantities_are_refused_and_nothing_is_written(secretary, inside, quantity):
    warehouse, _ = locations(inside.community.code)
    with pytest.raises(SupplyError, match="Quantity received"):
        do_receive_stock(actor=secretary, item=masks(), location=warehouse, quantity=quantity)
    assert not LedgerEntry.objects.exists()


def test_unknown_item_is_named(db):
    with pytest.raises(SupplyError, match="Unknown item “gloves”"):
        item_by_code("gloves")


def test_a_correction_needs_a_reason_and_a_change(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    with pytest.raises(SupplyError, match="reason"):
        do_correct_stock(actor=secretary, item=masks(), location=warehouse, delta=3, note=" ")
    with pytest.raises(SupplyError, match="got 0"):
        do_correct_stock(actor=secretary, item=masks(), location=warehouse, delta=0, note="x")


def test_entries_are_never_changed_or_deleted(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    entry = do_receive_stock(actor=secretary, item=masks(), location=warehouse, quantity=5)
    entry.quantity = 50
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    assert LedgerEntry.objects.get().quantity == 5


def test_stock_and_days_of_supply_are_scoped_and_forecast(secretary, inside, outside, make_user):
    warehouse, _ = locations(inside.community.code)
    other, _ = locations(outside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=100)
    do_issue_stock(actor=secretary, item=item, location=warehouse, quantity=70)
    do_receive_stock(actor=secretary, item=item, location=other, quantity=7)
    lines = stock_for(secretary)
    assert [line.balance.location for line in lines] == [warehouse]
    assert lines[0].forecast.burn_per_day == 10 and lines[0].forecast.days_of_supply == 3
    later = stock_for(secretary, today=dt.date.today() + dt.timedelta(days=30))
    assert later[0].forecast.days_of_supply is None  # nothing issued in that week


moves = st.lists(
    st.tuples(st.sampled_from(["receive", "issue", "correct"]), st.integers(-20, 40)), max_size=25
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=moves)
def test_stock_equals_the_sum_of_the_ledger_and_is_never_negative(secretary, inside, moves):
    warehouse, post = locations(inside.community.code)
    item = masks()
    try:
        for kind, qty in moves:
            for where in (warehouse, post):
                try:
                    if kind == "receive":
                        do_receive_stock(actor=secretary, item=item, location=where, quantity=qty)
                    elif kind == "issue":
                        do_issue_stock(actor=secretary, item=item, location=where, quantity=qty)
                    else:
                        do_correct_stock(
                            actor=secretary, item=item, location=where, delta=qty, note="test"
                        )
                except SupplyError:
                    pass
        for where in (warehouse, post):
            balance = Balance.objects.filter(item=item, location=where).first()
            total = LedgerEntry.objects.filter(item=item, location=where).aggregate(
                s=Sum("quantity")
            )
            assert (balance.quantity if balance else 0) == (total["s"] or 0) >= 0
    finally:
        # entries refuse delete(); each example starts from empty locations
        LedgerEntry.objects.filter(location__in=[warehouse, post])._raw_delete(using="default")
        Balance.objects.filter(location__in=[warehouse, post]).delete()
        warehouse.delete()
        post.delete()


def test_the_refusal_reads_in_chinese_by_default(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=10)
    with translation.override("zh-hans"), pytest.raises(SupplyError) as err:
        do_issue_stock(actor=secretary, item=item, location=warehouse, quantity=11)
    assert str(err.value) == "无法从社区仓库取出 11 个口罩：现有库存只有 10"
