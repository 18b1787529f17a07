"""``linli renew_orders``: place today's copies of recurring orders that are due."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Place the copies of recurring orders (medicine every N days) that are due today."

    def handle(self, *args, **options) -> None:
        from linli.deliveries.services import do_renew_recurring_orders

        self.stdout.write(f"{do_renew_recurring_orders()} orders placed")
