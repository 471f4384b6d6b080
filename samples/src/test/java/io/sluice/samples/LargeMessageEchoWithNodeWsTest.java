package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The websocket-echo sample, bound as its {@code main} binds it, with the messages of the compliance suite's case
 * group 9 (limits and performance), uncompressed as that suite sends them, from Node's {@code ws}: single text and
 * binary messages of 64 KiB to 16 MiB (9.1, 9.2), 4 MiB messages in fragments of 1 KiB to 4 MiB and 1 MiB ones in fragments of 64 B and 256 B (9.3,
 * 9.4; the suite's 4 MiB in 64 B fragments takes seconds under the test kit's paranoid leak detection), and
 * 1000 round trips each of messages of 0 B to 4 KiB (9.7, 9.8). Each echo must come back byte for byte with its
 * type, and the close must be a clean 1000. Round-trip times are printed, not asserted.
 */
class LargeMessageEchoWithNodeWsTest {

    private static final String CLIENT = """
            const WebSocket = require('ws');
            const crypto = require('crypto');
            const [url, type, count, casesArg] = process.argv.slice(2);
            const binary = type === 'binary';
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 28000);
            // The suite's client limits neither the number of fragments nor their size; ws's default (16384
            // fragments) would refuse the echo of 4 MiB sent in 64-byte fragments, which comes back as it came.
            const ws = new WebSocket(url, {perMessageDeflate: false, maxPayload: 64 << 20, maxFragments: 0});
            const cases = casesArg.split(',').map(c => c.split('/').map(Number));
            let index = -1, sent = 0, same = 0, expected, started;
            ws.on('open', () => nextCase());
            ws.on('message', (msg, isBinary) => {
              if (isBinary === binary && Buffer.compare(msg, expected) === 0) {
                same++;
              } else {
                console.log(`DIFFERENT echo of ${expected.length} B: ${msg.length} B, binary ${isBinary}`);
              }
              if (sent < Number(count)) sendOne(); else nextCase();
            });
            ws.on('close', code => { console.log(`closed ${code}`); clearTimeout(timer); });
            ws.on('error', e => console.log(`error ${e.message}`));

            function nextCase() {
              if (index >= 0) {
                const [size, fragment] = cases[index];
                console.log(`${size}/${fragment}: ${same} of ${count} echoed`);
                console.error(`time ${type} ${size}/${fragment} x${count}: ${Date.now() - started} ms`);
              }
              if (++index === cases.length) { ws.close(1000); return; }
              sent = 0; same = 0; started = Date.now();
              sendOne();
            }

            function sendOne() {
              const [size, fragment] = cases[index];
              expected = binary ? crypto.randomBytes(size) : Buffer.alloc(size, 'BAsd7&jh23*');
              sent++;
              if (fragment === 0 || size <= fragment) {
                ws.send(expected, {binary});
                return;
              }
              for (let i = 0; i < size; i += fragment) {
                ws.send(expected.subarray(i, Math.min(size, i + fragment)), {binary, fin: i + fragment >= size});
              }
            }
            """;

    @RegisterExtension
    final EchoSampleServer sample = new EchoSampleServer();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        // cases | type   | messages per case | message size/fragment size (0: unfragmented), ...
        "9.1     | text   | 1    | 65536/0,262144/0,1048576/0,4194304/0,8388608/0,16777216/0",
        "9.2     | binary | 1    | 65536/0,262144/0,1048576/0,4194304/0,8388608/0,16777216/0",
        // the suite sends 4 MiB in 64 B and 256 B fragments too; 1 MiB keeps the test short, the pattern the same
        "9.3     | text   | 1    | 1048576/64,1048576/256,4194304/1024,4194304/4096,4194304/16384,4194304/65536,4194304/262144,4194304/1048576,4194304/4194304",
        "9.4     | binary | 1    | 1048576/64,1048576/256,4194304/1024,4194304/4096,4194304/16384,4194304/65536,4194304/262144,4194304/1048576,4194304/4194304",
        "9.7     | text   | 1000 | 0/0,16/0,64/0,256/0,1024/0,4096/0",
        "9.8     | binary | 1000 | 0/0,16/0,64/0,256/0,1024/0,4096/0",
    })
    void echoesEveryMessageWhole(String cases, String type, int count, String sizes) throws Exception {
        String output = NodeWsPeer.run(CLIENT, "ws://127.0.0.1:" + sample.port() + "/", type,
                String.valueOf(count), sizes);

        List<String> expected = new ArrayList<>();
        for (String size : sizes.split(",")) {
            expected.add(size + ": " + count + " of " + count + " echoed");
        }
        expected.add("closed 1000");
        output.lines().filter(line -> line.startsWith("time ")).forEach(line -> System.out.println(cases + " " + line));
        assertThat(output.lines().filter(line -> !line.startsWith("time "))).containsExactlyElementsOf(expected);
    }
}
