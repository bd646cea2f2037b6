"""The staff oversight dashboard: figures across every domain, read-only; its own app because it
belongs to no single domain."""
