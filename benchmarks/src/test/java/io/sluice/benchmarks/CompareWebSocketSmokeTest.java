package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.samples.LoadReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the WebSocket comparison from rotting: the smoke run must measure both servers in every cell. */
class CompareWebSocketSmokeTest {

    @Test
    void smokeRunEchoesEveryCellWithAndWithoutDeflateAndMeasuresIdleMemory() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        WebSocketComparison result = CompareWebSocket.run(
                CompareWebSocket.options().parse("--smoke", "--logs", "target/bench-logs-ws-smoke"),
                new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(result.cells()).extracting(WebSocketComparison.DeflateCell::deflate)
                .containsExactly(false, false, true, true);
        for (WebSocketComparison.DeflateCell dc : result.cells()) {
            assertThat(dc.cell().reports()).containsOnlyKeys(EchoKind.SLUICE, EchoKind.REACTOR);
            for (LoadReport report : dc.cell().reports().values()) {
                assertThat(report.messages()).as("%s", report.resultLine()).isPositive();
                assertThat(report.failures()).as("%s", report.firstFailure()).isZero();
            }
        }
        assertThat(result.idle()).containsOnlyKeys(EchoKind.SLUICE, EchoKind.REACTOR);
        for (IdleFigures f : result.idle().values()) {
            assertThat(f.connections()).isEqualTo(100);
            assertThat(f.loadedHeap()).isPositive();
        }
        assertThat(result.toMarkdown()).contains("| sluice |", "| reactor |", "| on | 4 | 16384 B |");
    }

    @Test
    void theDeflateOptionTakesWhatItsHelpSays() {
        assertThat(CompareWebSocket.deflateModes("off,on")).containsExactly(false, true);
        assertThat(CompareWebSocket.deflateModes("both")).containsExactly(false, true);
        assertThat(CompareWebSocket.deflateModes("none")).isEmpty();
        assertThat(CompareWebSocket.deflateModes("")).isEmpty();
        assertThatThrownBy(() -> CompareWebSocket.deflateModes("maybe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'maybe'");
    }

    @Test
    void anIdleOnlyRunPrintsOnlyTheIdleTable() {
        WebSocketComparison idleOnly = new WebSocketComparison(List.of(EchoKind.SLUICE, EchoKind.REACTOR));
        idleOnly.idle().put(EchoKind.SLUICE, new IdleFigures(EchoKind.SLUICE, 10, 1_000, 31_000, 900, 0, 0, -1, -1));
        idleOnly.idle().put(EchoKind.REACTOR, new IdleFigures(EchoKind.REACTOR, 10, 1_000, 48_000, 900, 0, 0, -1, -1));

        String md = idleOnly.toMarkdown();

        assertThat(md).startsWith("### Idle WebSocket connections").doesNotContain("### WebSocket echo", "msgs/s")
                .contains("| sluice | 10 | 1000 | 31000 | 900 | 3000 |", "| 0.64x |");
    }
}
