"""PoliteClient against the local UN stand-in: retries, limits, redirects, validators."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from common.errors import FetchFailed, FetchRefused
from extractors.fetch.http_client import ClientConfig, PoliteClient
from tests.fake_time import FakeTime
from tests.tls_cert import make_certificate
from tests.unserver import UNServer

SYMBOL = "A/RES/79/10"


def small_pdf(text: str = "Resolution adopted by the General Assembly") -> bytes:
    """A one-page PDF with a text layer, a few kilobytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for line_number in range(20):
        canvas.drawString(72, 750 - 14 * line_number, f"{text} ({line_number})")
    canvas.save()
    return buffer.getvalue()


def test_config(source: str, **overrides: object) -> ClientConfig:
    """Fast client settings for tests: no rate limit, tiny backoff, short timeouts."""
    settings: dict[str, object] = {
        "contact": "coopwatch-tests@example.org",
        "source": source,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "retries": 2,
        "backoff_factor": 0.01,
        "requests_per_second": 0,
        "max_body_bytes": 1_000_000,
    }
    settings.update(overrides)
    return ClientConfig(**settings)  # type: ignore[arg-type]


test_config.__test__ = False  # type: ignore[attr-defined]


def client_on(fake_time: FakeTime, config: ClientConfig, **options: object) -> PoliteClient:
    """A client whose clock, sleeps and deadline alarms are `fake_time`'s, so tests read them."""
    return PoliteClient(
        config,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        start_alarm=fake_time.start_alarm,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def server() -> Iterator[UNServer]:
    with UNServer() as running:
        yield running


def api_url(server: UNServer) -> str:
    return f"{server.base_url}/api/symbol/access"


def test_get_sends_user_agent_with_contact(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf())
    with PoliteClient(test_config(server.base_url)) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en", "t": "pdf"})
    assert response.status == 200
    user_agent = server.log[-1].headers["user-agent"]
    assert "CoopWatch" in user_agent and "coopwatch-tests@example.org" in user_agent
    assert server.log[-1].query["s"] == [SYMBOL]


def test_get_conditional_request_answers_304(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf())
    with PoliteClient(test_config(server.base_url)) as client:
        first = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
        second = client.get(
            api_url(server),
            params={"s": SYMBOL, "l": "en"},
            etag=first.etag,
            last_modified=first.last_modified,
        )
    assert first.status == 200 and first.etag
    assert second.status == 304 and second.body == b""
    assert server.log[-1].headers["if-none-match"] == first.etag
    assert server.log[-1].headers["if-modified-since"] == first.last_modified


def test_get_retries_503_then_succeeds(server: UNServer) -> None:
    body = small_pdf()
    server.add_document(SYMBOL, "en", body, behaviour="unavailable_then_ok", times=2)
    with PoliteClient(test_config(server.base_url)) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert response.status == 200 and response.body == body
    assert [entry.status for entry in server.log] == [503, 503, 200]


def test_get_gives_up_after_retries_with_last_status(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="unavailable_then_ok", times=10)
    with PoliteClient(test_config(server.base_url, retries=1)) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert response.status == 503
    assert len(server.log) == 2


def test_get_honours_retry_after_on_429(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="rate_limited", retry_after="1")
    fake_time = FakeTime()
    with client_on(fake_time, test_config(server.base_url)) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert response.status == 200
    assert [entry.status for entry in server.log] == [429, 200]
    assert fake_time.sleeps == [1]


def test_get_caps_a_hostile_retry_after(server: UNServer) -> None:
    # A day asked, three seconds waited: the cap, not the server, sets the wait.
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="rate_limited", retry_after="86400")
    config = test_config(server.base_url, retry_after_max=3)
    fake_time = FakeTime()
    with client_on(fake_time, config) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert response.status == 200
    assert fake_time.sleeps == [3]


def test_get_times_out_on_slow_response(server: UNServer) -> None:
    # Each attempt ends at the read timeout, not when the server would answer; between
    # attempts the client waits its backoff and nothing more (none before the first retry,
    # then backoff_factor * 2).
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="slow", delay=1.0)
    config = test_config(server.base_url, read_timeout=0.2, retries=2, backoff_factor=0.5)
    fake_time = FakeTime()
    with (
        client_on(fake_time, config) as client,
        pytest.raises(FetchFailed, match="timed out"),
    ):
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert fake_time.sleeps == [1.0]
    assert len(server.log) >= 1


def test_get_refuses_truncated_body(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="truncated")
    with (
        PoliteClient(test_config(server.base_url)) as client,
        pytest.raises(FetchFailed, match="truncated|connection lost"),
    ):
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})


@pytest.mark.parametrize("declare_length", [True, False])
def test_get_aborts_body_over_size_limit(server: UNServer, declare_length: bool) -> None:
    server.add_document(
        SYMBOL, "en", b"", behaviour="huge", size=5_000_000, declare_length=declare_length
    )
    config = test_config(server.base_url, max_body_bytes=200_000)
    with PoliteClient(config) as client, pytest.raises(FetchRefused, match="exceeds"):
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})


@pytest.mark.parametrize(
    "location",
    [
        "http://evil.example.org/A-RES-79-10.pdf",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
def test_get_refuses_redirect_off_allowlist(server: UNServer, location: str) -> None:
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="redirect", location=location)
    with PoliteClient(test_config(server.base_url)) as client, pytest.raises(FetchRefused):
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert len(server.log) == 1


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_get_ends_a_trickling_body_at_the_deadline(scheme: str, tmp_path) -> None:
    # One byte every 0.2 s, each well inside the read timeout: only a deadline on the whole
    # response ends it; the 400-byte body would otherwise take 80 s.
    certificate = make_certificate(tmp_path / "tls") if scheme == "https" else None
    tls = certificate.server_context() if certificate else None
    with UNServer(tls=tls) as trickling:
        body = b"%PDF-1.7\n" + b"0" * 391
        trickling.add_document(SYMBOL, "en", body, behaviour="trickle", interval=0.2)
        config = test_config(
            trickling.base_url,
            request_deadline=1.5,
            read_timeout=2.0,
            ca_bundle=str(certificate.cert_path) if certificate else None,
        )
        fake_time = FakeTime()
        with client_on(fake_time, config) as client, pytest.raises(FetchFailed) as refused:
            client.get(api_url(trickling), params={"s": SYMBOL, "l": "en"})
        served = trickling.log[-1].body_bytes
    assert str(refused.value).endswith("response not complete within 1.5 s")
    # One deadline of request_deadline seconds, armed when the request was sent.
    assert fake_time.alarms == [(1000.0, 1.5)]
    assert served < len(body)


def test_get_ends_trickling_headers_at_the_deadline(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", b"", behaviour="trickle_headers", interval=0.2)
    config = test_config(server.base_url, request_deadline=1.5, read_timeout=2.0, retries=0)
    fake_time = FakeTime()
    with client_on(fake_time, config) as client, pytest.raises(FetchFailed) as refused:
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert str(refused.value).endswith("response not complete within 1.5 s")
    assert fake_time.alarms == [(1000.0, 1.5)]


def test_retries_do_not_stretch_the_deadline(server: UNServer) -> None:
    # Trickling the status line itself fails each attempt as a lost connection, which is
    # retried; attempts after the deadline are cut at once.
    server.add_document(SYMBOL, "en", b"", behaviour="trickle_status", interval=0.2)
    config = test_config(server.base_url, request_deadline=1.0, read_timeout=2.0, retries=3)
    fake_time = FakeTime()
    with client_on(fake_time, config) as client, pytest.raises(FetchFailed) as refused:
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert str(refused.value).endswith("response not complete within 1.0 s")
    # Attempts cut at once may close before the server has read their request line.
    assert 1 <= len(server.log) <= config.retries + 1
    # All three retries were made, with their backoff, under the one deadline armed at the
    # first send: a retry neither re-arms it nor waits out its read timeout.
    assert fake_time.sleeps == [0.02, 0.04]
    assert fake_time.alarms == [(1000.0, 1.0)]


def test_get_reads_a_body_slower_than_a_chunk_but_inside_the_deadline(server: UNServer) -> None:
    body = b"%PDF-1.7\n" + b"1" * 11
    server.add_document(SYMBOL, "en", body, behaviour="trickle", interval=0.01)
    with PoliteClient(test_config(server.base_url, request_deadline=30.0)) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert response.body == body


def test_get_refuses_redirect_to_another_port_of_the_source_host(server: UNServer) -> None:
    with UNServer() as other:
        other.add_document(SYMBOL, "en", small_pdf("not the edition"))
        location = f"{api_url(other)}?s={SYMBOL}&l=en"
        server.add_document(SYMBOL, "en", small_pdf(), behaviour="redirect", location=location)
        with (
            PoliteClient(test_config(server.base_url)) as client,
            pytest.raises(FetchRefused, match=r"http://127\.0\.0\.1:\d+ is not on the allowlist"),
        ):
            client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
        assert other.log == []


def test_get_follows_https_redirect_and_refuses_a_downgrade_to_http(
    server: UNServer, tmp_path
) -> None:
    certificate = make_certificate(tmp_path / "tls")
    with UNServer(tls=certificate.server_context()) as secure:
        secure.add_document(
            SYMBOL, "en", small_pdf(), behaviour="redirect", location="/elsewhere/x"
        )
        config = test_config(secure.base_url, ca_bundle=str(certificate.cert_path))
        with PoliteClient(config) as client:
            followed = client.get(api_url(secure), params={"s": SYMBOL, "l": "en"})
            downgrade = f"http://127.0.0.1:{secure.base_url.rsplit(':', 1)[1]}/elsewhere/x"
            secure.set_behaviour(SYMBOL, "en", "redirect", location=downgrade)
            with pytest.raises(FetchRefused, match="redirect from https down to http://"):
                client.get(api_url(secure), params={"s": SYMBOL, "l": "en"})
    assert followed.final_url == f"{secure.base_url}/elsewhere/x" and followed.status == 200
    assert [entry.path for entry in secure.log] == [
        "/api/symbol/access",
        "/elsewhere/x",
        "/api/symbol/access",
    ]


def test_check_url_allows_un_hosts_over_https_on_443_only() -> None:
    client = PoliteClient(ClientConfig(contact="ops@example.org"), resolver=resolver_to("1.2.3.4"))
    client.check_url("https://documents.un.org:443/api/symbol/access")
    for url in (
        "http://documents.un.org/api/symbol/access",
        "https://documents.un.org:8443/api/symbol/access",
        "http://undocs.org/en/A/79/302",
    ):
        with pytest.raises(FetchRefused, match="not on the allowlist"):
            client.check_url(url)


def test_get_follows_allowed_redirect(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="redirect", location="/elsewhere/x")
    with PoliteClient(test_config(server.base_url)) as client:
        response = client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert response.final_url == f"{server.base_url}/elsewhere/x"
    assert response.redirects == (f"{server.base_url}/elsewhere/x",)


def test_get_stops_endless_redirects(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf(), behaviour="redirect_loop")
    with (
        PoliteClient(test_config(server.base_url, max_redirects=3)) as client,
        pytest.raises(FetchRefused, match="more than 3 redirects"),
    ):
        client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    assert len(server.log) == 4


def test_get_rate_limits_per_host(server: UNServer) -> None:
    server.add_document(SYMBOL, "en", small_pdf())
    config = test_config(server.base_url, requests_per_second=10)
    fake_time = FakeTime()
    with client_on(fake_time, config, jitter_fraction=lambda: 0.0) as client:
        for _ in range(4):
            client.get(api_url(server), params={"s": SYMBOL, "l": "en"})
    # Four requests at 10 per second: the first at once, each further one 0.1 s after it.
    assert len(server.log) == 4
    assert fake_time.sleeps == pytest.approx([0.1, 0.1, 0.1])


def resolver_to(address: str):
    return lambda host: [address]


@pytest.mark.parametrize("address", ["169.254.169.254", "127.0.0.1", "10.0.0.7", "::1"])
def test_check_url_refuses_un_host_resolving_internal(address: str) -> None:
    config = ClientConfig(contact="ops@example.org", source="https://mirror.example.org")
    client = PoliteClient(config, resolver=resolver_to(address))
    with pytest.raises(FetchRefused, match="internal address"):
        client.check_url("https://documents.un.org/api/symbol/access?s=A/79/302")


def test_check_url_refuses_localhost_when_source_not_local() -> None:
    config = ClientConfig(contact="ops@example.org", source="https://mirror.example.org")
    client = PoliteClient(config, resolver=resolver_to("93.184.216.34"))
    client.check_url("https://mirror.example.org/api/symbol/access")
    for url in ("http://localhost:8080/x", "http://127.0.0.1/x", "http://[::1]/x"):
        with pytest.raises(FetchRefused):
            client.check_url(url)


def test_check_url_allows_un_hosts_and_subdomains() -> None:
    client = PoliteClient(ClientConfig(contact="ops@example.org"), resolver=resolver_to("1.2.3.4"))
    for url in (
        "https://undocs.org/en/A/79/302",
        "https://docs.un.org/en/A/79/302",
        "https://documents.un.org/api/symbol/access",
        "https://digitallibrary.un.org/search",
    ):
        client.check_url(url)
    with pytest.raises(FetchRefused, match="allowlist"):
        client.check_url("https://un.org.evil.example/x")


def test_client_config_reads_the_deadline_and_ca_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from extractors.fetch.http_settings import client_config

    bundle = tmp_path / "mirror-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    monkeypatch.setenv("COOPWATCH_HTTP_DEADLINE", "45")
    monkeypatch.setenv("COOPWATCH_HTTP_CA_BUNDLE", str(bundle))
    settings = client_config("https://mirror.example.org")
    assert (settings.request_deadline, settings.ca_bundle) == (45.0, str(bundle))
