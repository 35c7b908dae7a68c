"""Every routed import names its own three pages (core.imports.ImportFlow.urls): the page's
template link, its confirmation and its 取消 lead to this flow's views, not another's."""

from django.urls import resolve

import xuanwen.urls  # noqa: F401  (routing the flows registers them)
from xuanwen.core import jobs


def test_every_flow_addresses_its_own_views() -> None:
    assert jobs.FLOWS
    for key, flow in jobs.FLOWS.items():
        addresses = flow.addresses()
        views = {
            "template_url": flow.template_view,
            "upload_url": flow.upload_view,
            "confirm_url": flow.confirm_view,
        }
        assert set(addresses) == set(views), key
        for name, view in views.items():
            routed = resolve(addresses[name]).func
            while hasattr(routed, "__wrapped__"):
                routed = routed.__wrapped__
            assert routed == view, (key, name)
