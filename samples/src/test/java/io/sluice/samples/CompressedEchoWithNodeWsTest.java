package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.reactor.Server;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The websocket-echo sample, bound as its {@code main} binds it, under permessage-deflate the way the compliance
 * suite's case groups 12 and 13 drive it, with Node's {@code ws} as the client: each offer those groups make (and a
 * few more), then, one round trip at a time, messages of every size and auto-fragment size of those groups (16 B to
 * 128 KiB, whole or in fragments of 256 B to 32 KiB), cut from a rolling window over a data set so that consecutive
 * messages share content, as the suite's do, and each compressed by {@code ws}. Each echo must come back byte for
 * byte with its type; the answer must be one the offer allows; the close must be a clean 1000.
 *
 * <p>The suite sends 1000 messages per size; this sends {@value #COUNT}, which exercises the same context takeover
 * across messages in a bounded time.
 */
class CompressedEchoWithNodeWsTest {

    private static final int COUNT = 5;

    /** (payload length, auto-fragment size; 0 = unfragmented), as the suite's groups 12 and 13 use them. */
    private static final int[][] SIZES = {
        {16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0}, {16384, 0}, {32768, 0}, {65536, 0},
        {131072, 0}, {8192, 256}, {16384, 256}, {32768, 256}, {65536, 256}, {131072, 256}, {131072, 1024},
        {131072, 4096}, {131072, 32768},
    };

    private static final String CLIENT = """
            const WebSocket = require('ws');
            const [url, offerJson, name, countArg, sizesJson] = process.argv.slice(2);
            const count = Number(countArg);
            const sizes = JSON.parse(sizesJson);
            const data = dataset(name);
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 25000);
            const ws = new WebSocket(url, {perMessageDeflate: Object.assign({threshold: 0}, JSON.parse(offerJson)),
                                           maxPayload: 64 << 20});
            console.log(`offer [${ws._req.getHeader('sec-websocket-extensions')}]`);
            ws.on('upgrade', res => console.log(`answer [${res.headers['sec-websocket-extensions'] || ''}]`));
            let at = 0, size = 0, sent = 0, same = 0, expected;
            const started = Date.now();
            ws.on('open', () => { console.log('open'); sendNext(); });
            ws.on('message', (msg, isBinary) => {
              if (isBinary === data.binary && Buffer.compare(msg, expected) === 0) {
                same++;
              } else {
                console.log(`DIFFERENT echo of ${expected.length} B: ${msg.length} B, binary ${isBinary}`);
              }
              sendNext();
            });
            ws.on('close', code => { console.log(`closed ${code}`); console.error(`ms ${Date.now() - started}`);
                                     clearTimeout(timer); });
            ws.on('error', e => console.log(`error ${e.message}`));

            function sendNext() {
              if (sent === count) {
                console.log(`size ${sizes[size][0]}/${sizes[size][1]}: ${same} of ${count} echoed`);
                size++; sent = 0; same = 0;
              }
              if (size === sizes.length) { ws.close(1000); return; }
              const [length, fragment] = sizes[size];
              expected = slice(length);
              sent++;
              if (fragment === 0 || length <= fragment) {
                ws.send(expected, {binary: data.binary, compress: true});
                return;
              }
              for (let i = 0; i < length; i += fragment) {
                ws.send(expected.subarray(i, Math.min(length, i + fragment)),
                        {binary: data.binary, compress: true, fin: i + fragment >= length});
              }
            }

            // The next `length` bytes of the data set, wrapping around; text is kept valid UTF-8 by blanking
            // the pieces of characters cut at either end.
            function slice(length) {
              const out = Buffer.alloc(length);
              for (let i = 0; i < length; i++) out[i] = data.bytes[(at + i) % data.bytes.length];
              at = (at + length) % data.bytes.length;
              if (!data.binary) {
                for (let i = 0; i < length && (out[i] & 0xc0) === 0x80; i++) out[i] = 0x20;
                let lead = length - 1;
                while (lead > 0 && (out[lead] & 0xc0) === 0x80) lead--;
                const need = out[lead] >= 0xf0 ? 4 : out[lead] >= 0xe0 ? 3 : out[lead] >= 0xc0 ? 2 : 1;
                if (length - lead < need) out.fill(0x20, lead);
              }
              return out;
            }

            // Deterministic stand-ins for the suite's data sets: JSON and HTML (text), German prose, a bitmap and
            // a document mixing text with incompressible bytes (binary).
            function dataset(name) {
              let seed = 12345;
              const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
              const words = ['Faust', 'Mephistopheles', 'Gretchen', 'Geist', 'Nacht', 'Welt', 'Herz', 'größer',
                             'Mädchen', 'schön', 'Tür', 'ließ', 'über', 'Studierzimmer', 'Erdgeist', '€'];
              const word = () => words[next() % words.length];
              const parts = [];
              let length = 0;
              const add = s => { parts.push(s); length += Buffer.byteLength(s); };
              switch (name) {
                case 'json':
                  add('[\\n');
                  while (length < 194056) add(JSON.stringify({id: next(), name: word(), tags: [word(), word()],
                      score: (next() % 10000) / 100, active: next() % 2 === 0}) + ',\\n');
                  return {bytes: Buffer.from(parts.join('')), binary: false};
                case 'html':
                  while (length < 263527) add(`<tr class="r${next() % 7}"><td><a href="/p/${next() % 5000}">`
                      + `${word()} ${word()}</a></td><td>${next() % 100000}</td></tr>\\n`);
                  return {bytes: Buffer.from(parts.join('')), binary: false};
                case 'faust':
                  while (length < 222218) add(`${word()} ${word()}, ${word()} ${word()}!\\n`);
                  return {bytes: Buffer.from(parts.join('')), binary: true};
                case 'bitmap': {
                  const bytes = Buffer.alloc(1078 + 512 * 512);
                  for (let i = 0; i < 1078; i++) bytes[i] = i & 0xff;
                  for (let y = 0; y < 512; y++) for (let x = 0; x < 512; x++)
                    bytes[1078 + y * 512 + x] = (x + y + (next() % 16)) & 0xff;
                  return {bytes, binary: true};
                }
                case 'document': {
                  const bytes = Buffer.alloc(1042328);
                  for (let i = 0; i < bytes.length; i++) {
                    bytes[i] = (i >> 12) % 3 === 0 ? next() & 0xff : 'stream endobj xref '.charCodeAt(i % 19);
                  }
                  return {bytes, binary: true};
                }
              }
              throw new Error('no data set ' + name);
            }
            """;

    @RegisterExtension
    final EchoSampleServer sample = new EchoSampleServer();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        // case     | ws perMessageDeflate options                                       | data set | the sample's answer
        // group 12: the suite's default offer, five data sets
        "12.1       | {\"clientNoContextTakeover\":true}                                  | json     | permessage-deflate; client_no_context_takeover",
        "12.2       | {\"clientNoContextTakeover\":true}                                  | bitmap   | permessage-deflate; client_no_context_takeover",
        "12.3       | {\"clientNoContextTakeover\":true}                                  | faust    | permessage-deflate; client_no_context_takeover",
        "12.4       | {\"clientNoContextTakeover\":true}                                  | html     | permessage-deflate; client_no_context_takeover",
        "12.5       | {\"clientNoContextTakeover\":true}                                  | document | permessage-deflate; client_no_context_takeover",
        // group 13: one data set, each offer; the suite offers window bits 9 (8 in its older releases)
        "13.1       | {\"clientNoContextTakeover\":true}                                  | json     | permessage-deflate; client_no_context_takeover",
        "13.2       | {\"clientNoContextTakeover\":true,\"serverNoContextTakeover\":true} | json     | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "13.3       | {\"clientNoContextTakeover\":true,\"serverMaxWindowBits\":9}        | json     | permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
        "13.3 (8)   | {\"clientNoContextTakeover\":true,\"serverMaxWindowBits\":8}        | json     | permessage-deflate; client_no_context_takeover; server_max_window_bits=8",
        "13.4       | {\"clientNoContextTakeover\":true,\"serverMaxWindowBits\":15}       | json     | permessage-deflate; client_no_context_takeover; server_max_window_bits=15",
        "13.5       | {\"clientNoContextTakeover\":true,\"serverNoContextTakeover\":true,\"serverMaxWindowBits\":9}  | json | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9",
        "13.5 (8)   | {\"clientNoContextTakeover\":true,\"serverNoContextTakeover\":true,\"serverMaxWindowBits\":8}  | json | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8",
        "13.6       | {\"clientNoContextTakeover\":true,\"serverNoContextTakeover\":true,\"serverMaxWindowBits\":15} | json | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15",
        // beyond the suite: context takeover both ways (ws's own default offer), and a smaller client window
        "ws default | {}                                                                  | json     | permessage-deflate",
        "client 9   | {\"clientMaxWindowBits\":9}                                         | html     | permessage-deflate; client_max_window_bits=9",
    })
    void echoesEveryCompressedMessageUnderTheOffer(String suiteCase, String offer, String data, String answer)
            throws Exception {
        String output = NodeWsPeer.run(CLIENT, "ws://127.0.0.1:" + sample.port() + "/", offer, data,
                String.valueOf(COUNT), sizesJson());

        List<String> lines = output.lines().filter(line -> !line.startsWith("ms ")).toList();
        String offered = between(lines.get(0), "offer [");
        assertThat(lines.get(1)).isEqualTo("answer [" + answer + "]");
        assertThat(DeflateAnswerRules.violations(offered, answer)).as("answer to %s", offered).isEmpty();
        List<String> expected = new ArrayList<>(List.of(lines.get(0), lines.get(1), "open"));
        for (int[] size : SIZES) {
            expected.add("size " + size[0] + "/" + size[1] + ": " + COUNT + " of " + COUNT + " echoed");
        }
        expected.add("closed 1000");
        assertThat(lines).containsExactlyElementsOf(expected);
    }

    private static String sizesJson() {
        return java.util.Arrays.stream(SIZES).map(s -> "[" + s[0] + "," + s[1] + "]")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String between(String line, String prefix) {
        assertThat(line).startsWith(prefix).endsWith("]");
        return line.substring(prefix.length(), line.length() - 1);
    }
}
