"""Notifications: one interface (``notify``), channels in-app, email and group robots, an outbox."""
