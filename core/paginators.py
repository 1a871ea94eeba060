"""A paginator for lists that can grow to hundreds of thousands of rows.

Under row-level security every row a query touches is checked by the policy function, so an
exact ``COUNT(*)`` over 100,000 vouchers costs about 0.4 s while the first page itself costs a few
milliseconds. The list counts at most ``cap`` rows (``SELECT count(*) FROM (… LIMIT cap + 1)``)
and says "5,000+" beyond that; the filters (year, month, cooperative, status) narrow a long list,
and the xlsx export still streams every matching row.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 5000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    @property
    def count_label(self) -> str:
        count = self.count
        return f"{count:,}+" if getattr(self, "capped", False) else f"{count:,}"
