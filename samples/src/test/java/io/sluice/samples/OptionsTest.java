package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private Options options() {
        return new Options("prog", "Does things.")
                .option("port", "PORT", "9000", "port")
                .option("sizes", "LIST", "64,4096", "sizes")
                .option("wait", "SECONDS", "1.5", "wait")
                .flag("smoke", "quick run");
    }

    @Test
    void readsSpaceAndEqualsFormsAndFallsBackToDefaults() {
        Options o = options().parse("--port", "1234", "--sizes=1,2", "--smoke");
        assertThat(o.integer("port")).isEqualTo(1234);
        assertThat(o.integers("sizes")).containsExactly(1, 2);
        assertThat(o.seconds("wait")).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.flagSet("smoke")).isTrue();
    }

    @Test
    void rejectsUnknownOptionsAndMissingValuesByName() {
        assertThatThrownBy(() -> options().parse("--nope")).hasMessage("unknown option --nope");
        assertThatThrownBy(() -> options().parse("--port")).hasMessage("option --port needs a value (PORT)");
        assertThatThrownBy(() -> options().parse("--smoke=yes")).hasMessage("option --smoke takes no value");
        assertThatThrownBy(() -> options().parse("--port", "x").integer("port"))
                .hasMessage("option --port expects a whole number, got 'x'");
    }

    @Test
    void aBareArgumentSetsThePositionalOptionOnce() {
        assertThat(options().positional("port").parse("1234", "--smoke").integer("port")).isEqualTo(1234);
        assertThat(options().positional("port").parse("--port", "1").integer("port")).isEqualTo(1);
        assertThatThrownBy(() -> options().positional("port").parse("1", "2"))
                .hasMessage("unexpected argument '2'");
        assertThatThrownBy(() -> options().parse("1234")).hasMessage("unexpected argument '1234'");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Options o = options().parse("--port", "1", "--help");
        assertThat(o.helpRequested()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        o.printHelp(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--port PORT", "(default 9000)", "--smoke", "--help");
    }
}
