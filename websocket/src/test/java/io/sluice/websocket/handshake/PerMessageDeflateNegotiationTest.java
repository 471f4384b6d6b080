package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.handshake.WirePipe.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.websocket.PerMessageDeflate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * permessage-deflate offers as a server answers them (RFC 7692 §5, §7): each offer as the client wrote it, the
 * {@code Sec-WebSocket-Extensions} answer (empty: no extension accepted), and the agreed parameters.
 */
class PerMessageDeflateNegotiationTest {

    private static HandshakeResult negotiate(ServerDeflateOptions options, String extensions) {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        wire.peerWrites(crlf("""
                GET /chat HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Extensions: %s
                Sec-WebSocket-Version: 13

                """.formatted(extensions)));
        HandshakeResult result = ServerHandshake.builder().permessageDeflate(options).build()
                .accept(wire.local).block(TIMEOUT);
        result.connection().close();
        wire.closeAndAssertNothingLeaks();
        return result;
    }

    private static String answer(HandshakeResult result) {
        String value = result.response().headers().get("Sec-WebSocket-Extensions");
        return value == null ? "" : value;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        // offer                                                      | answer                                                  | agreed: snct, cnct, server bits, client bits
        "permessage-deflate                                           | permessage-deflate                                      | false | false | 15 | 15",
        "permessage-deflate; server_no_context_takeover               | permessage-deflate; server_no_context_takeover          | true  | false | 15 | 15",
        "permessage-deflate; client_no_context_takeover               | permessage-deflate; client_no_context_takeover          | false | true  | 15 | 15",
        "permessage-deflate; server_max_window_bits=15                | permessage-deflate; server_max_window_bits=15           | false | false | 15 | 15",
        "permessage-deflate; server_max_window_bits=\"15\"            | permessage-deflate; server_max_window_bits=15           | false | false | 15 | 15",
        // A smaller server window is agreed and kept by sending uncompressed: Autobahn's cases 13.3 and 13.5 offer it
        "permessage-deflate; server_max_window_bits=10                | permessage-deflate; server_max_window_bits=10           | false | false | 10 | 15",
        "permessage-deflate; server_no_context_takeover; server_max_window_bits=8; client_max_window_bits | permessage-deflate; server_no_context_takeover; server_max_window_bits=8 | true | false | 8 | 15",
        "permessage-deflate; client_max_window_bits                   | permessage-deflate                                      | false | false | 15 | 15",
        "permessage-deflate; client_max_window_bits=10                | permessage-deflate; client_max_window_bits=10           | false | false | 15 | 10",
        "permessage-deflate;client_max_window_bits=8;server_no_context_takeover | permessage-deflate; server_no_context_takeover; client_max_window_bits=8 | true | false | 15 | 8",
        "x-webkit-deflate-frame, permessage-deflate                   | permessage-deflate                                      | false | false | 15 | 15",
        "PerMessage-Deflate; Server_No_Context_Takeover               | permessage-deflate; server_no_context_takeover          | true  | false | 15 | 15",
    })
    void acceptsAValidOfferAnsweringEachParameter(String offer, String answer, boolean serverNoContext,
                                                  boolean clientNoContext, int serverBits, int clientBits) {
        HandshakeResult result = negotiate(ServerDeflateOptions.DEFAULT, offer);

        assertThat(answer(result)).isEqualTo(answer);
        assertThat(result.deflate())
                .isEqualTo(new PerMessageDeflate(serverNoContext, clientNoContext, serverBits, clientBits));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate; server_max_window_bits",       // a value is required
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=015",   // no leading zeros
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=abc",
        "permessage-deflate; server_no_context_takeover=1", // takes no value
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
        "permessage-deflate; mystery_parameter",
        "x-webkit-deflate-frame",
    })
    void declinesAnOfferItCannotHonourOrThatIsInvalidAndStillUpgrades(String offer) {
        HandshakeResult result = negotiate(ServerDeflateOptions.DEFAULT, offer);

        assertThat(result.response().headers().contains("Sec-WebSocket-Extensions")).isFalse();
        assertThat(result.deflate()).isNull();
    }

    @Test
    void acceptsTheFirstOfSeveralOffersItCanHonour() {
        // RFC 7692 §7.1.3's fallback example, an invalid window first, then a small server window, then a plain offer.
        HandshakeResult result = negotiate(ServerDeflateOptions.DEFAULT,
                "permessage-deflate; server_max_window_bits=7, "
                        + "permessage-deflate; client_max_window_bits; server_max_window_bits=10, "
                        + "permessage-deflate; client_max_window_bits");

        assertThat(answer(result)).isEqualTo("permessage-deflate; server_max_window_bits=10");
        assertThat(result.deflate()).isEqualTo(new PerMessageDeflate(false, false, 10, 15));
    }

    @Test
    void skipsAnInvalidOfferAndAcceptsTheNextValidOne() {
        HandshakeResult result = negotiate(ServerDeflateOptions.DEFAULT,
                "permessage-deflate; server_no_context_takeover=yes, permessage-deflate; client_no_context_takeover");

        assertThat(answer(result)).isEqualTo("permessage-deflate; client_no_context_takeover");
    }

    @Test
    void asksTheClientForASmallerWindowOnlyWhenTheOfferAllowsIt() {
        ServerDeflateOptions small = new ServerDeflateOptions(false, false, 9);

        assertThat(answer(negotiate(small, "permessage-deflate; client_max_window_bits")))
                .isEqualTo("permessage-deflate; client_max_window_bits=9");
        assertThat(answer(negotiate(small, "permessage-deflate; client_max_window_bits=12")))
                .isEqualTo("permessage-deflate; client_max_window_bits=9");
        assertThat(answer(negotiate(small, "permessage-deflate; client_max_window_bits=8")))
                .isEqualTo("permessage-deflate; client_max_window_bits=8");
        HandshakeResult cannotAsk = negotiate(small, "permessage-deflate");
        assertThat(answer(cannotAsk)).isEqualTo("permessage-deflate");
        assertThat(cannotAsk.deflate().clientMaxWindowBits()).isEqualTo(15);
    }

    @Test
    void saysNoContextTakeoverWhenConfiguredEvenIfNotOffered() {
        HandshakeResult result = negotiate(new ServerDeflateOptions(true, true, 15), "permessage-deflate");

        assertThat(answer(result))
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        assertThat(result.deflate()).isEqualTo(new PerMessageDeflate(true, true, 15, 15));
    }

    @Test
    void ignoresOffersWhenPermessageDeflateIsOff() {
        WirePipe wire = WirePipe.whole();
        wire.peerReceivesAll().subscribe();
        wire.peerWrites(crlf("""
                GET /chat HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Extensions: permessage-deflate
                Sec-WebSocket-Version: 13

                """));
        HandshakeResult result = ServerHandshake.builder().build().accept(wire.local).block(TIMEOUT);
        result.connection().close();

        assertThat(result.deflate()).isNull();
        assertThat(result.response().headers().contains("Sec-WebSocket-Extensions")).isFalse();
        wire.closeAndAssertNothingLeaks();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate; server_max_window_bits=\"1 5\" | a quoted parameter value must be a token at index 48",
        "permessage-deflate;                                | expected a token at index 19",
        "permessage-deflate; a=\"unterminated               | unterminated quoted string at index 35",
        "permessage-deflate permessage-deflate              | expected ',' at index 19",
    })
    void refusesAMalformedExtensionsHeaderWith400(String header, String problem) {
        String answer = Answers.refusedAnswer(ServerHandshake.builder().permessageDeflate().build(), crlf("""
                GET /chat HTTP/1.1
                Host: server.example.com
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Extensions: %s
                Sec-WebSocket-Version: 13

                """.formatted(header)));

        assertThat(answer).isEqualTo(Answers.refusal(400, "malformed Sec-WebSocket-Extensions: " + problem));
    }
}
