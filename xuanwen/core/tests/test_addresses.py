"""The source address: the peer, unless the peer is a trusted proxy."""

from django.test import RequestFactory, SimpleTestCase, override_settings

from xuanwen.core.addresses import client_address


def address(peer: str, forwarded: str | None = None) -> str | None:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **headers))


class ClientAddressTests(SimpleTestCase):
    @override_settings(TRUSTED_PROXIES=[])
    def test_it_ignores_the_header_when_no_proxy_is_trusted(self) -> None:
        assert address("203.0.113.9", "10.0.0.1") == "203.0.113.9"
        assert address("not an address") is None

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "::1/128"])
    def test_it_reads_only_what_trusted_proxies_wrote(self) -> None:
        assert address("10.0.0.2", "6.6.6.6, 203.0.113.9") == "203.0.113.9"
        # Two proxies in a row: the nearest address neither of them is.
        assert address("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3") == "203.0.113.9"
        assert address("::1", "2001:db8::5") == "2001:db8::5"
        # No header, or garbage where the proxy's entry should be: the last certain hop.
        assert address("10.0.0.2") == "10.0.0.2"
        assert address("10.0.0.2", "6.6.6.6, junk") == "10.0.0.2"
        # A peer outside the trusted networks is the source whatever it sends.
        assert address("203.0.113.9", "10.0.0.5") == "203.0.113.9"
