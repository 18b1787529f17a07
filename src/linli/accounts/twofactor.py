"""Who must sign in with a second factor, and the TOTP device of an account."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Can, Role, role_can

# Roles that see many people's data or run the system: secretaries, officers, admins.
ALWAYS_2FA = frozenset(
    {
        Role.COMMUNITY_SECRETARY,
        Role.STREET_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.CITY_OFFICER,
        Role.SYSTEM_ADMIN,
    }
)
# Whoever may read a full ID number or change the register needs a second factor too,
# whatever the role is called (grid workers, and any role given these later).
CAPABILITIES_NEEDING_2FA = (Can.REVEAL_ID_NUMBER, Can.EDIT_REGISTER)


def role_requires_2fa(role: str) -> bool:
    return role in ALWAYS_2FA or any(role_can(role, c) for c in CAPABILITIES_NEEDING_2FA)


def requires_2fa(user) -> bool:
    """True when LINLI_REQUIRE_2FA is on and the account's role needs a second factor."""
    if not settings.LINLI_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or role_requires_2fa(user.role)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The account's unconfirmed device (made on first use), whose key enrolment shows."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device
