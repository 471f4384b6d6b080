package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.filters.tls.TlsProvider;
import io.sluice.samples.LoadReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the TLS comparison from rotting: the smoke run must measure every provider on both servers, with full
 * handshakes only, and idle memory.
 */
class CompareTlsSmokeTest {

    @Test
    void smokeRunMeasuresEveryProviderOnBothServersWithFullHandshakesOnly() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TlsComparison result = CompareTls.run(CompareTls.options().parse("--smoke", "--logs",
                "target/bench-logs-tls-smoke"), new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(result.throughput()).containsOnlyKeys(TlsProvider.values());
        assertThat(result.handshakes()).containsOnlyKeys(TlsProvider.values());
        for (TlsProvider provider : TlsProvider.values()) {
            Map<EchoKind, TlsCell<LoadReport>> throughput = result.throughput().get(provider);
            assertThat(throughput).containsOnlyKeys(EchoKind.SLUICE, EchoKind.REACTOR);
            for (LoadReport report : throughput.values().stream().map(TlsCell::report).toList()) {
                assertThat(report.messages()).as("%s %s", provider, report.resultLine()).isPositive();
                assertThat(report.failures()).as("%s %s", provider, report.firstFailure()).isZero();
                assertThat(report.leaks()).isZero();
            }
            Map<EchoKind, TlsCell<HandshakeReport>> handshakes = result.handshakes().get(provider);
            assertThat(handshakes).containsOnlyKeys(EchoKind.SLUICE, EchoKind.REACTOR);
            for (HandshakeReport report : handshakes.values().stream().map(TlsCell::report).toList()) {
                assertThat(report.handshakes()).as("%s %s", provider, report.resultLine()).isPositive();
                assertThat(report.failures()).as("%s %s", provider, report.firstFailure()).isZero();
                assertThat(report.clientHellos()).as("%s %s", provider, report.resultLine())
                        .isGreaterThanOrEqualTo(report.handshakes());
                assertThat(report.resumptionOffers()).isZero();
                assertThat(report.unreadableHellos()).isZero();
                assertThat(report.negotiated()).startsWith("TLSv1.3 ");
            }
            for (EchoKind kind : throughput.keySet()) {
                assertThat(result.cpuMicrosPerMessage(provider, kind)).as("server CPU, %s %s", provider, kind)
                        .isPositive();
                assertThat(result.cpuMillisPerHandshake(provider, kind)).as("server CPU, %s %s", provider, kind)
                        .isPositive();
            }
        }
        assertThat(result.idle()).containsOnlyKeys(TlsProvider.JDK);
        for (IdleFigures f : result.idle().get(TlsProvider.JDK).values()) {
            assertThat(f.connections()).isEqualTo(100);
            assertThat(f.loadedHeap()).isPositive();
        }
        assertThat(result.toMarkdown()).contains("| openssl | sluice |", "| bc | reactor |", "handshakes bc/jdk");
    }
}
