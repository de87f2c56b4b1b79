"""Signals the directory sends, so apps that read it (plans) follow a change in the same
transaction without the directory knowing them."""

from django.dispatch import Signal

# Sent inside the transaction that changed a province's border flags: sender=AdministrativeUnit,
# province=<the province unit>, added=[unit codes], removed=[unit codes].
border_changed = Signal()
