"""``in`` on integer columns, safe with numbers the column cannot hold.

Django (5.x) already answers ``pk=99999999999999999999`` with "no match" instead of letting the
database overflow, but not ``pk__in=[99999999999999999999]``: SQLite raises OverflowError and
PostgreSQL "out of range", a 500 for any form with a multiple choice of model rows (the towns
of an organization application), an admin filter or an API filter given a 20-digit id. This
lookup drops values outside the column's range before the query is built, as the exact lookup
does; with none left the query matches nothing. Registered once, in ``CoreConfig.ready``.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or (low is None or value >= low)
                and (high is None or value <= high)
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
