package io.sluice.websocket.handshake;

import static io.sluice.websocket.http.Latin1.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.PerMessageDeflate;
import io.sluice.websocket.http.HeadMutations;
import io.sluice.websocket.http.HttpHeaders;
import io.sluice.websocket.http.HttpRequestHead;
import io.sluice.websocket.http.HttpTokens;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code Sec-WebSocket-Extensions} values built at random from the grammar's pieces, and mutations of real ones, on
 * both sides of permessage-deflate negotiation. The server accepts the first offer it can honour with a reply that
 * parses back and keeps RFC 7692's rules, declines the rest, and refuses a malformed field with 400; the client
 * accepts only a reply that answers its offer, and fails the handshake otherwise. Validity is judged here by a model
 * of RFC 7692 §7.1 written separately from the code under test.
 */
class ExtensionNegotiationFuzzTest {

    private static final byte[][] VALID = {
        latin1("permessage-deflate"),
        latin1("permessage-deflate; client_max_window_bits"),
        latin1("permessage-deflate; server_max_window_bits=10; client_max_window_bits=12, permessage-deflate"),
        latin1("permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
        latin1("x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=\"9\""),
        latin1("foo; bar=\"baz\", permessage-deflate;server_max_window_bits=8 ,"),
    };
    private static final String[] NAMES = {
        "permessage-deflate", "PerMessage-Deflate", "permessage-deflate", "x-webkit-deflate-frame", "foo",
    };
    private static final String[] PARAMS = {
        "server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits",
        "client_max_window_bits", "Server_Max_Window_Bits", "mux", "",
    };
    private static final String[] VALUES = {
        null, null, "8", "9", "10", "15", "7", "16", "0", "08", "-1", "4294967304", "", "\"\"", "\"12\"", "\"1\\5\"",
        "\"a b\"", "\"", "x",
    };
    private static final ServerDeflateOptions[] SERVERS = {
        ServerDeflateOptions.DEFAULT, new ServerDeflateOptions(true, true, 8), new ServerDeflateOptions(false, true, 12),
    };
    private static final ClientDeflateOptions[] CLIENTS = {
        ClientDeflateOptions.DEFAULT, new ClientDeflateOptions(true, false, 10), new ClientDeflateOptions(false, true, 8),
        null,
    };

    @Test
    void theServerAcceptsTheFirstOfferItCanHonourWithAValidReplyAndRefusesAMalformedFieldWith400() {
        fuzz(500, (value, r) -> {
            ServerDeflateOptions options = SERVERS[r.nextInt(SERVERS.length)];
            List<ExtensionOffer> offers;
            try {
                offers = ExtensionHeader.parse(value);
            } catch (ExtensionHeader.MalformedExtensionsException e) {
                checkAnsweredWith400(value, options);
                return;
            }
            DeflateNegotiation.Accepted accepted = DeflateNegotiation.negotiate(offers, options);
            ExtensionOffer honoured = offers.stream().filter(o -> o.name().equalsIgnoreCase("permessage-deflate"))
                    .filter(o -> Rfc7692.valid(o) != null).findFirst().orElse(null);
            if (honoured == null) {
                assertThat(accepted).as("accepted with no valid offer").isNull();
                return;
            }
            assertThat(accepted).as("declined " + honoured).isNotNull();
            checkReply(accepted, Rfc7692.valid(honoured), options);
        });
    }

    @Test
    void theClientAcceptsOnlyAReplyThatAnswersItsOfferAndFailsTheHandshakeOtherwise() {
        fuzz(500, (value, r) -> {
            ClientDeflateOptions offered = CLIENTS[r.nextInt(CLIENTS.length)];
            List<ExtensionOffer> reply;
            try {
                reply = ExtensionHeader.parse(value);
            } catch (ExtensionHeader.MalformedExtensionsException e) {
                return; // the client handshake turns it into a HandshakeException (ClientHandshakeFuzzTest)
            }
            Map<String, String> params = reply.size() == 1 && offered != null
                    && reply.get(0).name().equalsIgnoreCase("permessage-deflate") ? Rfc7692.valid(reply.get(0)) : null;
            // A reply without server_max_window_bits is honoured whatever was asked: the client inflates any window.
            boolean honourable = params != null && !params.containsKey("client_max_window_bits")
                    && Rfc7692.bits(params, "server_max_window_bits", 0) <= offered.serverMaxWindowBits();
            PerMessageDeflate agreed;
            try {
                agreed = DeflateResponseCheck.check(reply, offered);
            } catch (HandshakeException e) {
                assertThat(honourable).as("refused a reply it can honour: " + e.getMessage()).isFalse();
                return;
            }
            assertThat(honourable).as("accepted " + reply + " to the offer " + offered).isTrue();
            assertThat(agreed).isEqualTo(new PerMessageDeflate(params.containsKey("server_no_context_takeover"),
                    params.containsKey("client_no_context_takeover") || offered.clientNoContextTakeover(),
                    Rfc7692.bits(params, "server_max_window_bits", 15), 15));
        });
    }

    @Test
    void whatTheServerRepliesToOurClientsOfferOurClientAcceptsWithTheSameAgreement() {
        for (ClientDeflateOptions client : new ClientDeflateOptions[] {CLIENTS[0], CLIENTS[1], CLIENTS[2]}) {
            for (ServerDeflateOptions server : SERVERS) {
                for (int bits = 8; bits <= 15; bits++) {
                    ClientDeflateOptions offer = new ClientDeflateOptions(client.serverNoContextTakeover(),
                            client.clientNoContextTakeover(), bits);
                    DeflateNegotiation.Accepted accepted = negotiate(offer.offer(), server);
                    PerMessageDeflate atClient = DeflateResponseCheck.check(parse(accepted.response()), offer);
                    assertThat(atClient).as(offer + " to " + server).isEqualTo(accepted.agreed());
                }
            }
        }
    }

    /** Runs {@code check} on random and mutated header values, naming the seed and value of a failure. */
    private static void fuzz(int iterations, ValueCheck check) {
        int count = Fuzz.iterations(iterations);
        for (long seed : Fuzz.seeds()) {
            SplittableRandom r = Fuzz.random(seed);
            for (int i = 0; i < count; i++) {
                String how = "from the grammar";
                byte[] value;
                if (r.nextBoolean()) {
                    int which = r.nextInt(VALID.length);
                    Mutations.Mutant mutant = HeadMutations.mutate(r, VALID[which]);
                    value = mutant.bytes();
                    how = "valid value #" + which + ", " + mutant.how();
                } else {
                    value = grammar(r);
                }
                try {
                    check.run(latin1(value), r);
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.describe(seed, i, how, value) + " (\"" + latin1(value) + "\"): " + t, t);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ValueCheck {
        void run(String value, SplittableRandom r) throws Exception;
    }

    /** A list of extensions drawn from names, parameters and values that matter, with odd separators thrown in. */
    private static byte[] grammar(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int extensions = r.nextInt(4);
        for (int e = 0; e < extensions; e++) {
            sb.append(e == 0 ? "" : r.nextInt(8) == 0 ? ",," : ", ").append(NAMES[r.nextInt(NAMES.length)]);
            int params = r.nextInt(5);
            for (int p = 0; p < params; p++) {
                sb.append(r.nextInt(6) == 0 ? " ;\t" : "; ").append(PARAMS[r.nextInt(PARAMS.length)]);
                String value = VALUES[r.nextInt(VALUES.length)];
                if (value != null) {
                    sb.append(r.nextInt(6) == 0 ? " = " : "=").append(value);
                }
            }
        }
        return latin1(sb.toString());
    }

    /** The reply re-parses as one permessage-deflate element that keeps RFC 7692 §7.1 and answers the offer. */
    private static void checkReply(DeflateNegotiation.Accepted accepted, Map<String, String> offer,
                                   ServerDeflateOptions options) throws Exception {
        List<ExtensionOffer> reply = parse(accepted.response());
        assertThat(reply).as("reply " + accepted.response()).hasSize(1);
        assertThat(reply.get(0).name()).isEqualTo("permessage-deflate");
        Map<String, String> params = Rfc7692.valid(reply.get(0));
        assertThat(params).as("reply parameters valid: " + accepted.response()).isNotNull();
        if (params.containsKey("client_max_window_bits")) {
            assertThat(offer).as("client_max_window_bits in a reply to an offer without it")
                    .containsKey("client_max_window_bits");
            assertThat(params.get("client_max_window_bits")).as("client_max_window_bits needs a value in a reply")
                    .isNotNull();
            assertThat(Rfc7692.bits(params, "client_max_window_bits", 15))
                    .isLessThanOrEqualTo(Rfc7692.bits(offer, "client_max_window_bits", 15))
                    .isLessThanOrEqualTo(options.clientMaxWindowBits());
        }
        if (offer.containsKey("server_max_window_bits")) {
            assertThat(Rfc7692.bits(params, "server_max_window_bits", 15))
                    .isLessThanOrEqualTo(Rfc7692.bits(offer, "server_max_window_bits", 15));
        }
        assertThat(params.containsKey("server_no_context_takeover"))
                .isEqualTo(offer.containsKey("server_no_context_takeover") || options.serverNoContextTakeover());
        assertThat(params.containsKey("client_no_context_takeover"))
                .isEqualTo(offer.containsKey("client_no_context_takeover") || options.clientNoContextTakeover());
        assertThat(accepted.agreed()).as("agreement matches the reply").isEqualTo(new PerMessageDeflate(
                params.containsKey("server_no_context_takeover"), params.containsKey("client_no_context_takeover"),
                Rfc7692.bits(params, "server_max_window_bits", 15),
                Rfc7692.bits(params, "client_max_window_bits", 15)));
    }

    /** An upgrade request carrying a malformed field is refused with 400, when the value can be a header at all. */
    private static void checkAnsweredWith400(String value, ServerDeflateOptions options) {
        String trimmed = value.replaceAll("^[ \t]+|[ \t]+$", ""); // optional whitespace, as the head parser trims
        for (int i = 0; i < trimmed.length(); i++) {
            if (!HttpTokens.isValueChar(trimmed.charAt(i))) {
                return; // the head parser refuses it before negotiation (HeadParserFuzzTest)
            }
        }
        HttpRequestHead request = new HttpRequestHead("GET", "/", "HTTP/1.1", HttpHeaders.of(
                "Host", "example.com", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13",
                "Sec-WebSocket-Extensions", trimmed));
        Decision decision = ServerNegotiation.decide(request, new ServerNegotiation.Policy(Set.of(), List.of(),
                Set.of(), options, false, false));
        assertThat(decision).isInstanceOfSatisfying(Decision.Refuse.class,
                refuse -> assertThat(refuse.status()).isEqualTo(400));
    }

    private static DeflateNegotiation.Accepted negotiate(String offer, ServerDeflateOptions options) {
        DeflateNegotiation.Accepted accepted = DeflateNegotiation.negotiate(parse(offer), options);
        assertThat(accepted).as("accepted " + offer).isNotNull();
        return accepted;
    }

    private static List<ExtensionOffer> parse(String value) {
        try {
            return ExtensionHeader.parse(value);
        } catch (ExtensionHeader.MalformedExtensionsException e) {
            throw new AssertionError("cannot parse " + value, e);
        }
    }

    /** RFC 7692 §7.1's parameter rules, on their own: the oracle the code under test is held to. */
    private static final class Rfc7692 {

        private static final Set<String> FLAGS = Set.of("server_no_context_takeover", "client_no_context_takeover");
        private static final Set<String> BITS = Set.of("server_max_window_bits", "client_max_window_bits");

        /** The parameters by lowercase name, or null when one is unknown, repeated or has an invalid value. */
        static Map<String, String> valid(ExtensionOffer extension) {
            Map<String, String> params = new HashMap<>();
            for (ExtensionOffer.Param p : extension.params()) {
                String name = p.name().toLowerCase(Locale.ROOT);
                if (params.containsKey(name) || !FLAGS.contains(name) && !BITS.contains(name)) {
                    return null;
                }
                String v = p.value();
                if (FLAGS.contains(name) && v != null
                        || name.equals("server_max_window_bits") && v == null
                        || v != null && BITS.contains(name) && !v.matches("[89]|1[0-5]")) {
                    return null;
                }
                params.put(name, v);
            }
            return params;
        }

        /** The window bits a parameter names, {@code absent} when it is missing or has no value. */
        static int bits(Map<String, String> params, String name, int absent) {
            String v = params.get(name);
            return v == null ? absent : Integer.parseInt(v);
        }
    }
}
