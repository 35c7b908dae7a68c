"""One listing of the indicators reads each catalogue of kinds once, however many families
read it (a kind's standing count and its new count), and the next listing reads it again."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.facilities.models import FacilityKind
from xuanwen.indicators.registry import all_indicators, get_indicators
from xuanwen.testing import BaseTestCase


class ListingTests(BaseTestCase):
    def kind_reads(self) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            codes = [i.code for i in all_indicators()]
        table = FacilityKind._meta.db_table
        return codes, sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)

    def test_each_catalogue_is_read_once_per_listing_and_never_kept(self) -> None:
        codes, reads = self.kind_reads()
        assert reads == 1
        assert "facilities.kind.courtyard" in codes and "facilities.new.courtyard" in codes
        FacilityKind.objects.create(code="stage", name="戏台", ordering=99)
        codes, reads = self.kind_reads()
        assert reads == 1
        assert "facilities.kind.stage" in codes and "facilities.new.stage" in codes


class GetIndicatorsTests(BaseTestCase):
    def test_a_few_codes_list_only_their_families_and_find_a_retired_kind(self) -> None:
        FacilityKind.objects.filter(code="courtyard").update(active=False)
        codes = {"activities.count", "facilities.new.courtyard", "facilities.kind.station",
                 "facilities.kind.nothing", "no.such"}  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            found = get_indicators(codes)
        assert set(found) == {
            "activities.count",
            "facilities.new.courtyard",
            "facilities.kind.station",
        }
        assert found["facilities.new.courtyard"].code == "facilities.new.courtyard"
        # The facility kinds listed once for both families, plus the retired kind and the
        # unknown one looked up on their own; no other catalogue read.
        sql = [q["sql"] for q in queries.captured_queries]
        assert all("facilities_facilitykind" in q for q in sql), sql
        assert len(sql) == 3, sql
