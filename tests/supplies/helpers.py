from linli.places.models import Place
from linli.supplies.models import Item, StockLocation


def masks() -> Item:
    return Item.objects.get_or_create(code="mask", defaults={"name": "口罩", "unit": "个"})[0]


def locations(community_code: str) -> tuple[StockLocation, StockLocation]:
    place = Place.objects.get(code=community_code)
    warehouse = StockLocation.objects.create(place=place, name="社区仓库", kind="warehouse")
    post = StockLocation.objects.create(place=place, name="东门卡口", kind="checkpoint")
    return warehouse, post
