package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.samples.LoadReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the comparison from rotting: the smoke run must produce a figure for every kind in every cell. */
class CompareSmokeTest {

    @Test
    void smokeRunMeasuresEveryKindInEveryCellAndIdleHeap() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Comparison result = Compare.run(Compare.options().parse("--smoke", "--logs", "target/bench-logs-smoke"),
                new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(result.cells()).hasSize(4);
        for (Cell cell : result.cells()) {
            assertThat(cell.reports()).containsOnlyKeys(EchoKind.values());
            for (LoadReport report : cell.reports().values()) {
                assertThat(report.messages()).as("%s", report.resultLine()).isPositive();
                assertThat(report.failures()).as("%s", report.firstFailure()).isZero();
            }
        }
        assertThat(result.idle()).containsOnlyKeys(EchoKind.values());
        for (IdleFigures f : result.idle().values()) {
            assertThat(f.connections()).isEqualTo(200);
            assertThat(f.loadedHeap()).isPositive();
        }
        assertThat(result.toMarkdown()).contains("| sluice |", "| reactor |", "| netty |", "sluice/reactor");
    }
}
