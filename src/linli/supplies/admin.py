"""Back office for supplies: the item catalogue (system administrators add items; others
read it) and each community's stock locations. Stock itself is never edited here: it moves
only through ledger entries (the movement page)."""

from django.contrib import admin

from linli.common.admin import ScopedAdmin

from .models import Item, StockLocation


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "low_days"]
    search_fields = ["code", "name"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request) and request.user.role == "system_admin"

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # ledger entries point at items: an item is never deleted


@admin.register(StockLocation)
class StockLocationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "place", "weight", "minimum"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["place", "checkpoint"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the ledger keeps its locations
