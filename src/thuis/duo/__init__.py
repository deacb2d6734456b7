"""DUO M2M koppeling: the gemeente side of DUO's machine-to-machine inburgering interface.

Notificatie API (DUO -> gemeente), a client for DUO's read and delivery APIs, an outbox with
retries, and a local simulator. Specifications: ../shared/duo-m2m/ (never copied into the repo).
"""
