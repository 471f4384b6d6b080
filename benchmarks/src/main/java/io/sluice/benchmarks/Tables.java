package io.sluice.benchmarks;

import io.sluice.samples.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Where a comparison's Markdown tables go: standard output, and the {@code --out} file when one is given. */
final class Tables {

    private Tables() {
    }

    static void emit(Options o, CharSequence markdown) throws IOException {
        System.out.println(markdown);
        if (o.has("out")) {
            Files.writeString(Paths.get(o.string("out")), markdown, StandardCharsets.UTF_8);
        }
    }
}
