"""Reminders and cards: what the providers app mails on its own — renewal reminders at the
thresholds staff set, and the certification card after an approval — each sent exactly once
with the shared claim (``core.send_once``). The tables are the providers app's
(``providers.models`` imports ``models`` here)."""
